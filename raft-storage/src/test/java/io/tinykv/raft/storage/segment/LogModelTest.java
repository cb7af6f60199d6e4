package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded property test: random sequences of appends (some overlapping the tail), syncs,
 * truncations, compactions, resets, reopens and reads, checked after every step against a plain
 * in-memory model. A failure names the seed and step; replay with {@code -Dstorage.seed=<seed>};
 * run longer with {@code -Dstorage.runs=<n>}.
 */
class LogModelTest {

  private static final int RUNS = 25;
  private static final int STEPS = 150;

  /** Crashes are not simulated here, so fsyncs only cost time. */
  private static final FileChannelFactory NO_FSYNC = FaultyChannels.withoutFsync();

  @TempDir Path root;

  /** The model: entries after the boundary, what is durable, and the boundary's term. */
  private static final class Model {
    final List<LogEntry> entries = new ArrayList<>();
    long first = 1;
    long termBefore;
    long durable;
    long maxTerm = 1;

    long written() {
      return first + entries.size() - 1;
    }

    long termAt(long index) {
      return index == first - 1 ? termBefore : entries.get((int) (index - first)).term();
    }

    void truncateFrom(long index) {
      while (written() >= index) {
        entries.remove(entries.size() - 1);
      }
      durable = Math.min(durable, index - 1);
    }
  }

  @Test
  void theLogBehavesLikeItsModel() throws IOException {
    Long fixed = Long.getLong("storage.seed");
    long base = fixed != null ? fixed : System.nanoTime();
    int runs = fixed != null ? 1 : Integer.getInteger("storage.runs", RUNS);
    for (int run = 0; run < runs; run++) {
      long seed = base + run;
      Path dir = root.resolve("run" + run);
      try {
        runOnce(new SplittableRandom(seed), dir);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " failed; replay with -Dstorage.seed=" + seed, e);
      }
    }
  }

  private static SegmentedLog open(Path dir, SplittableRandom random) {
    CacheConfig cache =
        random.nextBoolean()
            ? CacheConfig.DEFAULT
            : new CacheConfig(random.nextInt(8), 600, random.nextInt(8), 600);
    return SegmentedLog.open(dir, SegmentedLogTest.SMALL, cache, NO_FSYNC);
  }

  private void runOnce(SplittableRandom random, Path dir) throws IOException {
    Files.createDirectories(dir);
    Model model = new Model();
    SegmentedLog log = open(dir, random);
    try {
      for (int step = 0; step < STEPS; step++) {
        String op = apply(random, model, log);
        if (op.equals("reopen")) {
          log.close();
          log = open(dir, random);
          model.durable = model.written();
        }
        check(random, model, log, "step " + step + " (" + op + ")");
      }
    } finally {
      log.close();
    }
  }

  private static String apply(SplittableRandom random, Model model, SegmentedLog log) {
    int choice = random.nextInt(100);
    if (choice < 45) {
      long start = model.written() + 1 - (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
      start = Math.max(start, model.first);
      if (random.nextInt(3) == 0) {
        model.maxTerm++;
      }
      List<LogEntry> batch = new ArrayList<>();
      int size = 1 + random.nextInt(random.nextBoolean() ? 3 : 20);
      for (long i = start; i < start + size; i++) {
        batch.add(entry(i, model.maxTerm, random.nextInt(random.nextInt(10) == 0 ? 700 : 60)));
      }
      log.append(batch);
      model.truncateFrom(start);
      model.entries.addAll(batch);
      return "append " + start + ".." + (start + size - 1);
    } else if (choice < 70) {
      assertThat(log.sync()).isEqualTo(model.written());
      model.durable = model.written();
      return "sync";
    } else if (choice < 78) {
      long from = model.first + random.nextLong(model.entries.size() + 2);
      log.truncateSuffix(from);
      model.truncateFrom(from);
      return "truncate " + from;
    } else if (choice < 86) {
      long upTo = model.first - 1 + random.nextLong(model.durable - model.first + 2);
      log.compactPrefix(upTo);
      if (upTo >= model.first) {
        model.termBefore = model.termAt(upTo);
        model.entries.subList(0, (int) (upTo - model.first + 1)).clear();
        model.first = upTo + 1;
      }
      return "compact " + upTo;
    } else if (choice < 89) {
      long index = model.first + random.nextLong(model.entries.size() + 30);
      model.maxTerm++;
      log.resetTo(index, model.maxTerm);
      model.entries.clear();
      model.first = index + 1;
      model.termBefore = model.maxTerm;
      model.durable = index;
      return "reset " + index;
    }
    return "reopen";
  }

  private static void check(SplittableRandom random, Model model, SegmentedLog log, String at) {
    assertThat(log.firstIndex()).as(at).isEqualTo(model.first);
    assertThat(log.writtenIndex()).as(at).isEqualTo(model.written());
    assertThat(log.lastIndex()).as(at).isEqualTo(model.durable);
    assertThat(log.term(model.first - 1)).as(at).isEqualTo(model.termBefore);
    long visible = model.durable - model.first + 1;
    if (visible <= 0) {
      return;
    }
    long from = model.first + random.nextLong(visible);
    long to = from + random.nextLong(model.durable - from + 2);
    long maxBytes = random.nextBoolean() ? Long.MAX_VALUE : random.nextInt(800);
    List<LogEntry> got = log.entries(from, to, maxBytes);
    List<LogEntry> want =
        model.entries.subList((int) (from - model.first), (int) (to - model.first));
    assertThat(want).as(at).startsWith(got.toArray(new LogEntry[0]));
    long bytes = got.stream().mapToLong(LogEntry::sizeInBytes).sum();
    if (got.size() < want.size()) {
      assertThat(bytes + want.get(got.size()).sizeInBytes()).as(at).isGreaterThan(maxBytes);
    }
    assertThat(got.isEmpty()).as(at).isEqualTo(want.isEmpty());
    long index = model.first + random.nextLong(visible);
    assertThat(log.term(index)).as(at).isEqualTo(model.termAt(index));
    assertThat(log.entry(index)).as(at).isEqualTo(model.entries.get((int) (index - model.first)));
  }
}
