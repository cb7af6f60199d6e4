package io.tinykv.raft.storage;

import java.io.InputStream;

/**
 * Reads one durable snapshot: the state machine restores from {@link #openContent()}, a leader
 * sends {@link #readChunk} to followers.
 *
 * <p>Threading: the methods are safe to call from several threads; each stream from {@link
 * #openContent()} belongs to one thread. A reader keeps working if its snapshot is pruned after it
 * was opened.
 */
public interface SnapshotReader extends AutoCloseable {

  /** The snapshot read. */
  SnapshotInfo info();

  /**
   * A fresh stream of the uncompressed content. Its checksum is verified as it is read: reaching
   * the end of a damaged snapshot throws {@link CorruptStorageException} (as an {@link
   * java.io.IOException}'s cause) instead of returning end of stream.
   */
  InputStream openContent();

  /**
   * Up to {@code maxBytes} of the stored (compressed) content starting at {@code offset}; empty at
   * the end. The chunks concatenated are the bytes {@link SnapshotInfo#crc32c()} covers.
   */
  byte[] readChunk(long offset, int maxBytes);

  /**
   * Reads the whole stored content and checks its size and CRC32C.
   *
   * @throws CorruptStorageException if they differ from {@link #info()}
   */
  void verify();

  @Override
  void close();
}
