package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.TestEntries;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The process {@link LogCrashTest} kills. It works on the log in {@code args[0]} like a follower's
 * log writer, for at most 20 seconds: appends batches and syncs each, now and then truncates a
 * suffix (possibly across segments) and rewrites it in a higher term, and compacts. It reports on
 * standard output, flushed line by line:
 *
 * <ul>
 *   <li>{@code truncate <from>} before truncating from {@code from};
 *   <li>{@code durable <index> <first> <term>} after a sync made entries {@code first..index}, all
 *       of {@code term}, durable.
 * </ul>
 *
 * Entry content is {@link #expected(long, long)}, so the parent can check any entry.
 */
public final class CrashChild {

  static final LogConfig CONFIG = new LogConfig(64 << 10, 1 << 20, 4);

  private CrashChild() {}

  static LogEntry expected(long index, long term) {
    return TestEntries.entry(index, term, (int) (index % 300) + 1);
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + 20_000_000_000L;
    try (SegmentedLog log =
        SegmentedLog.open(dir, CONFIG, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
      long term = Math.max(1, log.lastTerm());
      while (System.nanoTime() < deadline) {
        long written = log.writtenIndex();
        if (random.nextInt(10) == 0 && written - log.firstIndex() > 10) {
          long from = written - random.nextLong(Math.min(800, written - log.firstIndex()));
          term++;
          out.println("truncate " + from);
          log.truncateSuffix(from);
        }
        List<LogEntry> batch = new ArrayList<>();
        long first = log.writtenIndex() + 1;
        for (long i = first; i < first + 1 + random.nextInt(40); i++) {
          batch.add(expected(i, term));
        }
        log.append(batch);
        long durable = log.sync();
        out.println("durable " + durable + " " + first + " " + term);
        if (random.nextInt(100) == 0 && durable > 3000) {
          log.compactPrefix(durable - 2000);
        }
      }
    }
  }
}
