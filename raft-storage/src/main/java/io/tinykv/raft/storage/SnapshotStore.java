package io.tinykv.raft.storage;

import java.util.Optional;

/**
 * Durable snapshots of the state machine, each carrying its {@link SnapshotMeta}.
 *
 * <p>A snapshot becomes visible only once complete and durable: it is streamed into a temporary
 * place, checksummed and fsynced, then moved into place atomically. Once a newer snapshot is
 * durable, older ones are pruned. Content is stored compressed; {@link SnapshotReader#readChunk}
 * serves the stored form so that it travels to followers as is and is verified there against {@link
 * SnapshotInfo#crc32c()}.
 *
 * <p><b>Threading.</b> One writer or receiver at a time (the applier or the follower's snapshot
 * installer); {@link #latest()} and {@link #open} may be called from any thread, and readers stay
 * usable while a newer snapshot is written or an older one pruned.
 *
 * <p><b>Failure.</b> I/O errors throw {@link StorageException} (fatal). Damaged stored content is
 * reported as {@link CorruptStorageException} when read or verified.
 */
public interface SnapshotStore extends AutoCloseable {

  /** The newest durable snapshot, if any. */
  Optional<SnapshotInfo> latest();

  /**
   * Starts writing a snapshot of the local state machine; see {@link SnapshotWriter}.
   *
   * @throws IllegalArgumentException if it is not newer than {@link #latest()}
   */
  SnapshotWriter create(SnapshotMeta meta);

  /**
   * Starts receiving a snapshot's stored content in chunks from a leader; {@link
   * SnapshotReceiver#commit()} verifies it against {@code expected}.
   *
   * @throws IllegalArgumentException if it is not newer than {@link #latest()}
   */
  SnapshotReceiver receive(SnapshotInfo expected);

  /**
   * Opens a durable snapshot for reading.
   *
   * @throws IllegalArgumentException if it is no longer stored (pruned)
   */
  SnapshotReader open(SnapshotInfo snapshot);

  @Override
  void close();
}
