package io.tinykv.raft.storage.cache;

import io.tinykv.raft.protocol.LogEntry;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Entries read back from disk, least recently used first out, bounded by count and bytes. Kept
 * apart from the hot tail so that a follower catching up from far behind cannot evict it.
 *
 * <p>Threading: any thread; every method holds this object's lock briefly.
 */
final class ColdTier {

  private final int maxEntries;
  private final long maxBytes;

  /** Guarded by this; in access order, eldest first. */
  private final LinkedHashMap<Long, LogEntry> entries = new LinkedHashMap<>(64, 0.75f, true);

  private long bytes;

  ColdTier(int maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  synchronized LogEntry get(long index) {
    return entries.get(index);
  }

  synchronized int size() {
    return entries.size();
  }

  synchronized void put(LogEntry entry) {
    if (maxEntries == 0 || entry.sizeInBytes() > maxBytes) {
      return;
    }
    LogEntry old = entries.put(entry.index(), entry);
    bytes += entry.sizeInBytes() - (old == null ? 0 : old.sizeInBytes());
    Iterator<LogEntry> eldest = entries.values().iterator();
    while (entries.size() > maxEntries || bytes > maxBytes) {
      bytes -= eldest.next().sizeInBytes();
      eldest.remove();
    }
  }

  /** Drops entries with index {@code >= index}. */
  synchronized void truncateFrom(long index) {
    removeIf(index, Long.MAX_VALUE);
  }

  /** Drops entries with index {@code < index}. */
  synchronized void removeBefore(long index) {
    removeIf(Long.MIN_VALUE, index);
  }

  private void removeIf(long fromInclusive, long toExclusive) {
    Iterator<Map.Entry<Long, LogEntry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, LogEntry> e = it.next();
      if (e.getKey() >= fromInclusive && e.getKey() < toExclusive) {
        bytes -= e.getValue().sizeInBytes();
        it.remove();
      }
    }
  }
}
