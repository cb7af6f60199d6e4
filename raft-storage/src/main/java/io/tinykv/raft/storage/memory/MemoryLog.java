package io.tinykv.raft.storage.memory;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.LogReader;
import io.tinykv.raft.storage.LogWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A log held in memory, for tests and the deterministic simulator. Not thread-safe: one thread
 * reads and writes it.
 *
 * <p>As a {@link LogWriter} everything appended counts as durable at once ({@link #sync()} has
 * nothing to do); the simulator models a crash by restarting from a copy ({@link
 * #MemoryLog(MemoryLog)}) taken when it decides what was durable.
 */
public final class MemoryLog implements LogReader, LogWriter {

  /** entries.get(i) has index firstIndex + i. */
  private final ArrayList<LogEntry> entries = new ArrayList<>();

  private long firstIndex = 1;
  private long termBeforeFirst;

  public MemoryLog() {}

  /** A copy of another memory log, for simulating a restart from what was durable. */
  public MemoryLog(MemoryLog other) {
    this.entries.addAll(other.entries);
    this.firstIndex = other.firstIndex;
    this.termBeforeFirst = other.termBeforeFirst;
  }

  @Override
  public long firstIndex() {
    return firstIndex;
  }

  @Override
  public long lastIndex() {
    return firstIndex + entries.size() - 1;
  }

  @Override
  public long term(long index) {
    if (index == firstIndex - 1) {
      return termBeforeFirst;
    }
    return entry(index).term();
  }

  /** The entry at {@code index}. */
  public LogEntry entry(long index) {
    checkRange(index, index + 1);
    return entries.get((int) (index - firstIndex));
  }

  @Override
  public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
    checkRange(fromIndex, toIndexExclusive);
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    for (long i = fromIndex; i < toIndexExclusive; i++) {
      LogEntry e = entries.get((int) (i - firstIndex));
      bytes += e.sizeInBytes();
      if (!out.isEmpty() && bytes > maxBytes) {
        break;
      }
      out.add(e);
    }
    return out;
  }

  /**
   * Appends a contiguous batch; if it starts at or before the current last index, the existing
   * suffix from its first index is truncated first (a follower replacing conflicting entries).
   */
  @Override
  public void append(List<LogEntry> batch) {
    if (batch.isEmpty()) {
      return;
    }
    long first = batch.get(0).index();
    if (first < firstIndex || first > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "batch starting at "
              + first
              + " does not fit log ["
              + firstIndex
              + ", "
              + lastIndex()
              + "]");
    }
    truncateSuffix(first);
    for (LogEntry e : batch) {
      if (e.index() != lastIndex() + 1) {
        throw new IllegalArgumentException("batch is not contiguous at " + e);
      }
      entries.add(e);
    }
  }

  /** Removes every entry with index {@code >= fromIndex}. */
  @Override
  public void truncateSuffix(long fromIndex) {
    if (fromIndex < firstIndex) {
      throw new IllegalArgumentException(
          "cannot truncate from " + fromIndex + " before first index " + firstIndex);
    }
    while (lastIndex() >= fromIndex) {
      entries.remove(entries.size() - 1);
    }
  }

  @Override
  public long sync() {
    return lastIndex();
  }

  @Override
  public long writtenIndex() {
    return lastIndex();
  }

  @Override
  public long durableIndex() {
    return lastIndex();
  }

  @Override
  public void compactPrefix(long upToIndex) {
    if (upToIndex > lastIndex()) {
      throw new IllegalArgumentException(
          "cannot compact up to " + upToIndex + " beyond the last index " + lastIndex());
    }
    if (upToIndex < firstIndex) {
      return;
    }
    termBeforeFirst = term(upToIndex);
    entries.subList(0, (int) (upToIndex - firstIndex + 1)).clear();
    firstIndex = upToIndex + 1;
  }

  @Override
  public void resetTo(long index, long term) {
    entries.clear();
    firstIndex = index + 1;
    termBeforeFirst = term;
  }

  private void checkRange(long from, long toExclusive) {
    if (from < firstIndex || toExclusive > lastIndex() + 1 || from > toExclusive) {
      throw new IndexOutOfBoundsException(
          "range ["
              + from
              + ", "
              + toExclusive
              + ") outside log ["
              + firstIndex
              + ", "
              + lastIndex()
              + "]");
    }
  }
}
