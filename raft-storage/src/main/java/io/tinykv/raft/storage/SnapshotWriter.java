package io.tinykv.raft.storage;

import java.io.OutputStream;

/**
 * Streams one snapshot of the state machine to disk. Write the state to {@link #content()} (it is
 * compressed on the way), then {@link #commit()}; {@link #close()} without a commit discards it.
 *
 * <p>Threading: one thread uses a writer from start to end. Nothing is visible to {@link
 * SnapshotStore#latest()} before {@code commit} returns.
 */
public interface SnapshotWriter extends AutoCloseable {

  /** The stream to write the uncompressed state to; do not close it, {@link #commit()} does. */
  OutputStream content();

  /**
   * Finishes the content, makes it durable, moves it into place atomically and prunes older
   * snapshots.
   *
   * @return the durable snapshot
   * @throws StorageException if writing or syncing failed (fatal)
   */
  SnapshotInfo commit();

  /** Discards the snapshot unless committed. */
  @Override
  void close();
}
