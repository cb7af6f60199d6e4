package io.tinykv.raft.storage.cache;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The log's read cache, in tiers (the seed's L1/L2/L3):
 *
 * <ol>
 *   <li>the hot tail: the most recently appended entries, filled on append, which is what the
 *       leader replicates and the applier applies;
 *   <li>the cold tier: entries read back from disk, for followers catching up and for repeated
 *       reads of the same old range; filling it never evicts the hot tail;
 *   <li>the segment files (and the operating system's page cache), read by the log itself.
 * </ol>
 *
 * <p>The cache holds entries that may not be durable yet; the log only asks it for durable ones.
 *
 * <p>Threading: the log writer calls {@link #appended}, {@link #truncatedFrom} and {@link
 * #compactedBefore}; any thread may call the rest concurrently.
 */
public final class TieredCache {

  private final HotTail hot;
  private final ColdTier cold;
  private final LongAdder hotHits = new LongAdder();
  private final LongAdder coldHits = new LongAdder();
  private final LongAdder diskReads = new LongAdder();

  public TieredCache(CacheConfig config) {
    config.validate();
    this.hot = new HotTail(config.hotMaxEntries(), config.hotMaxBytes());
    this.cold = new ColdTier(config.coldMaxEntries(), config.coldMaxBytes());
  }

  /** The cached entry at {@code index}, or null if it must be read from disk. */
  public LogEntry get(long index) {
    LogEntry entry = hot.get(index);
    if (entry != null) {
      hotHits.increment();
      return entry;
    }
    entry = cold.get(index);
    if (entry != null) {
      coldHits.increment();
    }
    return entry;
  }

  /** The first index of the hot tail, or {@code Long.MAX_VALUE} if it is empty. */
  public long hotFirstIndex() {
    return hot.firstIndex();
  }

  /** Records entries that were read from disk, into the cold tier only. */
  public void readFromDisk(List<LogEntry> entries) {
    diskReads.add(entries.size());
    for (LogEntry entry : entries) {
      cold.put(entry);
    }
  }

  /** Adds newly appended entries, which continue the log, to the hot tail. */
  public void appended(List<LogEntry> entries) {
    for (LogEntry entry : entries) {
      hot.add(entry);
    }
  }

  /** Forgets entries with index {@code >= index}: they were truncated from the log. */
  public void truncatedFrom(long index) {
    hot.truncateFrom(index);
    cold.truncateFrom(index);
  }

  /** Forgets entries with index {@code < index}: they were compacted away. */
  public void compactedBefore(long index) {
    hot.removeBefore(index);
    cold.removeBefore(index);
  }

  public CacheStats stats() {
    return new CacheStats(hotHits.sum(), coldHits.sum(), diskReads.sum(), hot.size(), cold.size());
  }
}
