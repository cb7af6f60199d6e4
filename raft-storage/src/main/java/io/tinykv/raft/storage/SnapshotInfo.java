package io.tinykv.raft.storage;

import java.util.Objects;

/**
 * A durable snapshot as stored: its {@link SnapshotMeta} and its stored (compressed) content's size
 * and CRC32C. A leader sends these with the chunks, so that a follower can verify what it received
 * before installing it.
 *
 * @param meta what the snapshot stands for
 * @param storedBytes the size of the stored content, which is what {@link SnapshotReader#readChunk}
 *     serves
 * @param crc32c the CRC32C of the stored content
 */
public record SnapshotInfo(SnapshotMeta meta, long storedBytes, int crc32c) {

  public SnapshotInfo {
    Objects.requireNonNull(meta, "meta");
    if (storedBytes < 0) {
      throw new IllegalArgumentException("storedBytes must be >= 0, got " + storedBytes);
    }
  }
}
