package io.tinykv.raft.storage;

/**
 * Receives a snapshot's stored content in order, chunk by chunk, as a leader sends it (the bytes of
 * {@link SnapshotReader#readChunk}). {@link #commit()} verifies size and checksum and installs it
 * atomically; {@link #close()} without a commit discards it.
 *
 * <p>Threading: one thread uses a receiver from start to end.
 */
public interface SnapshotReceiver extends AutoCloseable {

  /** The number of bytes received so far: the offset the next chunk must start at. */
  long receivedBytes();

  /**
   * Writes the chunk at {@code offset}.
   *
   * @throws IllegalArgumentException if {@code offset != receivedBytes()} or the chunk would go
   *     past the expected size; the leader should restart from {@link #receivedBytes()}
   */
  void write(long offset, byte[] chunk);

  /**
   * Checks that the whole content has arrived intact (the expected size and CRC32C) without
   * installing it: a follower verifies a transfer before offering it to the consensus core, and
   * commits only once the core has accepted it.
   *
   * @throws SnapshotMismatchException if the content is incomplete or its checksum differs; the
   *     receiver is then discarded and the transfer must start again
   */
  void verify();

  /**
   * Verifies the received content against the expected size and CRC32C, makes it durable and
   * installs it.
   *
   * @throws SnapshotMismatchException if the content is incomplete or its checksum differs; the
   *     receiver is then discarded and the transfer must start again
   * @throws StorageException if writing or syncing failed (fatal)
   */
  SnapshotInfo commit();

  /** Discards the received content unless committed. */
  @Override
  void close();
}
