package io.tinykv.raft.benchmarks.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The disk's own fsync latency, the floor under any durable write: append a {@value #RECORD_BYTES}
 * byte record (a 100-byte value with the log's framing) to a file and {@code force(false)} it, one
 * at a time, for a bounded time and count.
 */
public final class FsyncProbe {

  static final int RECORD_BYTES = 134;

  private FsyncProbe() {}

  /**
   * Measures in a new file under {@code dir} (deleted afterwards) for at most {@code duration} and
   * {@code maxSyncs} fsyncs; returns their latencies in microseconds.
   */
  public static Histogram measure(Path dir, Duration duration, int maxSyncs) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, "fsync-probe-", ".bin");
    Histogram latencies = new Histogram(3);
    ByteBuffer record = ByteBuffer.allocateDirect(RECORD_BYTES);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long deadline = System.nanoTime() + duration.toNanos();
      for (int i = 0; i < maxSyncs && System.nanoTime() - deadline < 0; i++) {
        record.clear();
        long start = System.nanoTime();
        while (record.hasRemaining()) {
          channel.write(record);
        }
        channel.force(false);
        latencies.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return latencies;
  }

  /** {@code p50 0.31 ms, p99 0.90 ms over 6,000 fsyncs}. */
  public static String describe(Histogram h) {
    return String.format(
        java.util.Locale.ROOT,
        "p50 %.3f ms, p99 %.3f ms, max %.1f ms over %,d fsyncs of %d-byte appends",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0,
        h.getTotalCount(),
        RECORD_BYTES);
  }
}
