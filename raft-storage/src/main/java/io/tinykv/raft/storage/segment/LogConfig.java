package io.tinykv.raft.storage.segment;

/**
 * Settings of the segmented log.
 *
 * @param segmentBytes a segment is rolled before a record would take it past this size, unless it
 *     is still empty (so one entry larger than this gets a segment of its own)
 * @param maxEntryBytes the largest payload accepted; a larger length field read from disk is damage
 * @param maxLoadedSealedIndexes how many sealed segments keep their in-memory index (about 12 bytes
 *     per entry) at once; others are reloaded from their file when read
 */
public record LogConfig(long segmentBytes, int maxEntryBytes, int maxLoadedSealedIndexes) {

  /** 64 MiB segments, payloads up to 64 MiB, 8 sealed indexes in memory. */
  public static final LogConfig DEFAULT = new LogConfig(64L << 20, 64 << 20, 8);

  private static final long MAX_SEGMENT_BYTES = 1L << 30;
  private static final int MAX_ENTRY_BYTES = 256 << 20;

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the first setting out of range
   */
  public LogConfig validate() {
    if (segmentBytes < 64 || segmentBytes > MAX_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be in [64, " + MAX_SEGMENT_BYTES + "], got " + segmentBytes);
    }
    if (maxEntryBytes < 0 || maxEntryBytes > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "maxEntryBytes must be in [0, " + MAX_ENTRY_BYTES + "], got " + maxEntryBytes);
    }
    if (maxLoadedSealedIndexes < 1) {
      throw new IllegalArgumentException(
          "maxLoadedSealedIndexes must be >= 1, got " + maxLoadedSealedIndexes);
    }
    return this;
  }

  public LogConfig withSegmentBytes(long bytes) {
    return new LogConfig(bytes, maxEntryBytes, maxLoadedSealedIndexes);
  }

  /** The largest record body accepted when reading. */
  int maxRecordBody() {
    return RecordCodec.ENTRY_FIELDS + maxEntryBytes;
  }
}
