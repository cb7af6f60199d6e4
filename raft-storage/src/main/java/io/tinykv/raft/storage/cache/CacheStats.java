package io.tinykv.raft.storage.cache;

/**
 * Counts of where reads of log entries were served from since the log was opened.
 *
 * @param hotHits entries served from the hot tail
 * @param coldHits entries served from the tier of entries read back from disk
 * @param diskReads entries read from segment files
 * @param hotEntries entries in the hot tail now
 * @param coldEntries entries in the cold tier now
 */
public record CacheStats(
    long hotHits, long coldHits, long diskReads, int hotEntries, int coldEntries) {}
