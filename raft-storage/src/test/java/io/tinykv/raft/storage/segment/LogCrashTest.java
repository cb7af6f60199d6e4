package io.tinykv.raft.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at random moments: after each kill, every entry the child
 * reported durable is present and intact. Kill moments come from a seed, printed on failure; replay
 * one with {@code -Dstorage.seed=<seed>}.
 */
class LogCrashTest {

  private static final int KILLS = 5;

  @TempDir Path dir;

  @Test
  void everyReportedDurableEntrySurvivesSigkill() throws Exception {
    long seed = Long.getLong("storage.seed", System.nanoTime());
    SplittableRandom random = new SplittableRandom(seed);
    Path logDir = dir.resolve("log");
    for (int kill = 1; kill <= KILLS; kill++) {
      String context = "seed " + seed + " (replay with -Dstorage.seed=" + seed + "), kill " + kill;
      long reported = runAndKill(logDir, random.nextLong(), 50 + random.nextInt(400), context);
      try (SegmentedLog log =
          SegmentedLog.open(
              logDir, CrashChild.CONFIG, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
        assertThat(log.lastIndex()).as(context).isGreaterThanOrEqualTo(reported);
        for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
          assertThat(log.entry(i)).as(context).isEqualTo(CrashChild.expected(i));
        }
      }
    }
  }

  /** Runs a child until it has synced for {@code millis}, kills it, returns its last report. */
  private long runAndKill(Path logDir, long childSeed, int millis, String context)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path errors = dir.resolve("child-stderr.txt");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-Xmx128m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                logDir.toString(),
                Long.toString(childSeed))
            .redirectError(errors.toFile())
            .start();
    AtomicLong lastReported = new AtomicLong(-1);
    CountDownLatch firstSync = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  if (line.startsWith("durable ")) {
                    lastReported.set(Long.parseLong(line.substring(8)));
                    firstSync.countDown();
                  }
                }
              } catch (IOException e) {
                // the child died; what it reported is in lastReported
              }
            });
    reader.start();
    try {
      boolean synced = firstSync.await(15, TimeUnit.SECONDS);
      assertThat(synced)
          .as(context + ": the child never synced; its stderr: " + Files.readString(errors))
          .isTrue();
      Thread.sleep(millis);
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).as(context).isTrue();
      reader.join(10_000);
    }
    return lastReported.get();
  }
}
