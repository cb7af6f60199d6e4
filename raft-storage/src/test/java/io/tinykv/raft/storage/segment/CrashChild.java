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
 * The process {@link LogCrashTest} kills: appends batches to the log in {@code args[0]} and syncs
 * each, printing {@code durable <index>} after every sync, for at most 20 seconds. Entries are
 * {@link #expected(long)}, so the parent can check any of them.
 */
public final class CrashChild {

  static final LogConfig CONFIG = new LogConfig(64 << 10, 1 << 20, 4);

  private CrashChild() {}

  static LogEntry expected(long index) {
    return TestEntries.entry(index, 1 + index / 500, (int) (index % 300) + 1);
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[1]));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + 20_000_000_000L;
    try (SegmentedLog log =
        SegmentedLog.open(dir, CONFIG, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
      out.println("opened " + log.lastIndex());
      while (System.nanoTime() < deadline) {
        List<LogEntry> batch = new ArrayList<>();
        int size = 1 + random.nextInt(40);
        for (long i = log.writtenIndex() + 1; batch.size() < size; i++) {
          batch.add(expected(i));
        }
        log.append(batch);
        long durable = log.sync();
        out.println("durable " + durable);
        if (random.nextInt(100) == 0 && durable > 300) {
          log.compactPrefix(durable - 300);
        }
      }
    }
  }
}
