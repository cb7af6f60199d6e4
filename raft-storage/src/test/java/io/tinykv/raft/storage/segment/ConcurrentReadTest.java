package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threading contract: one writer appends, syncs, rolls and compacts while readers read durable
 * entries; readers only ever see intact, durable entries. Bounded in entries written.
 */
class ConcurrentReadTest {

  private static final long ENTRIES = 3000;

  @TempDir Path dir;

  @Test
  void readersSeeOnlyIntactDurableEntriesWhileTheWriterWorks() throws Exception {
    long seed = Long.getLong("storage.seed", System.nanoTime());
    CacheConfig smallCache = new CacheConfig(64, 1 << 20, 64, 1 << 20);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean done = new AtomicBoolean();
    try (SegmentedLog log =
        SegmentedLog.open(dir, SegmentedLogTest.SMALL, smallCache, FaultyChannels.withoutFsync())) {
      List<Future<Long>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        SplittableRandom random = new SplittableRandom(seed + r);
        readers.add(pool.submit(() -> read(log, random, done)));
      }
      Future<?> writer =
          pool.submit(
              () -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (long next = 1; next <= ENTRIES; ) {
                  List<LogEntry> batch = new ArrayList<>();
                  for (int i = 1 + random.nextInt(30); i > 0; i--) {
                    batch.add(entry(next, 1 + next / 1000));
                    next++;
                  }
                  log.append(batch);
                  long durable = log.sync();
                  if (random.nextInt(40) == 0) {
                    log.compactPrefix(Math.max(log.firstIndex() - 1, durable - 500));
                  }
                }
                done.set(true);
                return null;
              });
      writer.get(60, TimeUnit.SECONDS);
      for (Future<Long> reader : readers) {
        assertThat(reader.get(60, TimeUnit.SECONDS)).as("seed " + seed).isPositive();
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }
  }

  /** Reads random durable ranges until the writer is done; returns how many entries it checked. */
  private static long read(SegmentedLog log, SplittableRandom random, AtomicBoolean done) {
    long checked = 0;
    while (!done.get()) {
      long first = log.firstIndex();
      long last = log.lastIndex();
      if (last < first) {
        continue;
      }
      long from = first + random.nextLong(last - first + 1);
      try {
        for (LogEntry e : log.entries(from, Math.min(last + 1, from + 20), Long.MAX_VALUE)) {
          assertThat(e).isEqualTo(entry(e.index(), 1 + e.index() / 1000));
          checked++;
        }
      } catch (IndexOutOfBoundsException e) {
        assertThat(log.firstIndex())
            .as("only compaction may take an entry away")
            .isGreaterThan(from);
      }
    }
    return checked;
  }
}
