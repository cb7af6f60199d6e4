package io.tinykv.raft.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process ({@link CrashChild}) with SIGKILL at random moments, several times over
 * the same log: after each kill, every entry the child reported durable, and not truncated since,
 * is present with the term it was written in, and every recovered entry is intact. Kill moments
 * come from a seed, printed on failure; replay with {@code -Dstorage.seed=<seed>}.
 */
class LogCrashTest {

  private static final int KILLS = 5;

  @TempDir Path dir;

  /** What the child made durable: index to term, and the last index it must still hold. */
  private final TreeMap<Long, Long> terms = new TreeMap<>();

  private long required;

  @Test
  void everyReportedDurableEntrySurvivesSigkill() throws Exception {
    long seed = Long.getLong("storage.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    Path logDir = dir.resolve("log");
    for (int kill = 1; kill <= KILLS; kill++) {
      String context = "seed " + seed + " (replay with -Dstorage.seed=" + seed + "), kill " + kill;
      for (String line : runAndKill(logDir, random.nextLong(), 50 + random.nextInt(400), context)) {
        replay(line);
      }
      try (SegmentedLog log =
          SegmentedLog.open(
              logDir, CrashChild.CONFIG, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
        assertThat(log.lastIndex()).as(context).isGreaterThanOrEqualTo(required);
        terms.clear();
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
          LogEntry entry = log.entry(i);
          assertThat(entry).as(context).isEqualTo(CrashChild.expected(i, entry.term()));
          Long reported = terms.get(i);
          if (i <= required && reported != null) {
            assertThat(entry.term()).as(context + ", term of " + i).isEqualTo(reported);
          }
          terms.put(i, entry.term());
        }
        required = log.lastIndex();
      }
    }
  }

  private void replay(String line) {
    String[] words = line.split(" ", 4);
    if (words[0].equals("truncate")) {
      long from = Long.parseLong(words[1]);
      terms.tailMap(from).clear();
      required = Math.min(required, from - 1);
    } else if (words[0].equals("durable")) {
      long durable = Long.parseLong(words[1]);
      for (long i = Long.parseLong(words[2]); i <= durable; i++) {
        terms.put(i, Long.parseLong(words[3]));
      }
      required = durable;
    }
  }

  /**
   * Runs a child until it has synced for {@code millis}, kills it, returns every line it wrote: a
   * report lost at the kill (a {@code truncate} above all) would make this test judge the log
   * against the wrong expectations.
   */
  private List<String> runAndKill(Path logDir, long childSeed, int millis, String context)
      throws IOException, InterruptedException {
    Path errors = dir.resolve("child-stderr.txt");
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    CountDownLatch firstSync = new CountDownLatch(1);
    ChildJvm child =
        ChildJvm.start(
            errors,
            line -> {
              lines.add(line);
              firstSync.countDown();
            },
            CrashChild.class,
            logDir.toString(),
            Long.toString(childSeed));
    try {
      boolean synced = firstSync.await(15, TimeUnit.SECONDS);
      assertThat(synced)
          .as(context + ": the child never synced; its stderr: " + Files.readString(errors))
          .isTrue();
      Thread.sleep(millis);
    } finally {
      child.kill();
    }
    child.awaitOutput();
    return List.copyOf(lines);
  }
}
