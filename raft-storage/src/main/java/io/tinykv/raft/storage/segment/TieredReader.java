package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.cache.TieredCache;
import io.tinykv.raft.storage.format.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Reads durable entries through the tiers: each entry from the cache if it is there, otherwise a
 * run of consecutive entries (up to where the hot tail starts) from one segment file in a single
 * read, which then goes to the cache's cold tier, never its hot tail.
 *
 * <p>Threading: any reader thread; the caller has checked that the range is durable.
 */
final class TieredReader {

  private final Path dir;
  private final TieredCache cache;
  private final SegmentList segments;
  private final LongSupplier firstIndex;

  TieredReader(Path dir, TieredCache cache, SegmentList segments, LongSupplier firstIndex) {
    this.dir = dir;
    this.cache = cache;
    this.segments = segments;
    this.firstIndex = firstIndex;
  }

  long term(long index) {
    LogEntry cached = cache.get(index);
    if (cached != null) {
      return cached.term();
    }
    return onSegment(index, segment -> segment.term(index));
  }

  /** Entries {@code [from, to)}, stopping before {@code maxBytes} is exceeded (at least one). */
  List<LogEntry> read(long from, long to, long maxBytes) {
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    long next = from;
    while (next < to) {
      LogEntry cached = cache.get(next);
      if (cached != null) {
        if (!out.isEmpty() && bytes + cached.sizeInBytes() > maxBytes) {
          break;
        }
        out.add(cached);
        bytes += cached.sizeInBytes();
        next++;
        continue;
      }
      long runFrom = next;
      long runEnd = Math.min(to, Math.max(next + 1, cache.hotFirstIndex()));
      long budget = maxBytes - bytes;
      boolean atLeastOne = out.isEmpty();
      List<LogEntry> run =
          onSegment(
              runFrom,
              segment ->
                  segment.read(
                      runFrom, Math.min(runEnd, segment.lastIndex() + 1), budget, atLeastOne));
      if (run.isEmpty()) {
        break;
      }
      cache.readFromDisk(run);
      for (LogEntry entry : run) {
        bytes += entry.sizeInBytes();
      }
      out.addAll(run);
      next += run.size();
    }
    return out;
  }

  private <T> T onSegment(long index, SegmentList.SegmentRead<T> read) {
    try {
      return segments.read(index, firstIndex, read);
    } catch (IOException e) {
      throw Durability.fatal("reading entry " + index + " in " + dir, e);
    }
  }
}
