package io.tinykv.raft.storage.cache;

/**
 * Bounds of the two in-memory tiers of the log cache (the seed's L1 and L2; L3 is the segment files
 * and the operating system's page cache).
 *
 * @param hotMaxEntries the hot tail keeps at most this many of the most recently appended entries
 * @param hotMaxBytes ... and at most this many bytes of them ({@code LogEntry.sizeInBytes})
 * @param coldMaxEntries entries read back from disk (a follower catching up) are kept in a separate
 *     tier of at most this many entries, so that they never push out the hot tail
 * @param coldMaxBytes ... and at most this many bytes
 */
public record CacheConfig(
    int hotMaxEntries, long hotMaxBytes, int coldMaxEntries, long coldMaxBytes) {

  /** Hot tail: 8192 entries / 64 MiB; cold: 8192 entries / 32 MiB. */
  public static final CacheConfig DEFAULT = new CacheConfig(8192, 64L << 20, 8192, 32L << 20);

  /**
   * Checks the settings; a tier may be disabled with 0 entries.
   *
   * @throws IllegalArgumentException naming the first setting out of range
   */
  public CacheConfig validate() {
    if (hotMaxEntries < 0 || coldMaxEntries < 0) {
      throw new IllegalArgumentException(
          "entry bounds must be >= 0, got hot " + hotMaxEntries + ", cold " + coldMaxEntries);
    }
    if (hotMaxBytes < 0 || coldMaxBytes < 0) {
      throw new IllegalArgumentException(
          "byte bounds must be >= 0, got hot " + hotMaxBytes + ", cold " + coldMaxBytes);
    }
    return this;
  }
}
