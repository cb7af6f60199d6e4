package io.tinykv.raft.benchmarks.storage;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import io.tinykv.raft.storage.segment.LogConfig;
import io.tinykv.raft.storage.segment.SegmentedLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sequential reads of 100-entry batches of 100-byte payloads, as a leader replicating or a follower
 * catching up does: from the hot tail of the cache, and from the segment files (cache disabled, so
 * every read decodes and checks records; the files themselves are in the operating system's page
 * cache, as they are right after being written).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Thread)
public class LogReadBenchmark {

  private static final int ENTRIES = 200_000;
  private static final int READ_BATCH = 100;

  @Param({"cache", "disk"})
  public String source;

  private Path dir;
  private SegmentedLog log;
  private long next;
  private long first;

  @Setup(Level.Trial)
  public void fill() {
    dir = BenchmarkFiles.createDirectory("tinykv-read-");
    CacheConfig cache =
        source.equals("cache")
            ? new CacheConfig(ENTRIES, 1L << 30, 0, 0)
            : new CacheConfig(0, 0, 0, 0);
    log = SegmentedLog.open(dir, LogConfig.DEFAULT, cache, FileChannelFactory.DEFAULT);
    byte[] payload = new byte[LogAppendBenchmark.PAYLOAD_BYTES];
    for (long i = 1; i <= ENTRIES; i += 1000) {
      List<LogEntry> batch = new ArrayList<>();
      for (long k = i; k < i + 1000; k++) {
        batch.add(LogEntry.command(k, 1, 0, payload));
      }
      log.append(batch);
    }
    log.sync();
    first = log.firstIndex();
    next = first;
  }

  @TearDown(Level.Trial)
  public void close() {
    log.close();
    BenchmarkFiles.deleteTree(dir);
  }

  @Benchmark
  public List<LogEntry> sequentialRead(Throughput throughput) {
    if (next + READ_BATCH > log.lastIndex() + 1) {
      next = first;
    }
    List<LogEntry> entries = log.entries(next, next + READ_BATCH, Long.MAX_VALUE);
    next += entries.size();
    throughput.add(entries.size(), LogAppendBenchmark.PAYLOAD_BYTES);
    return entries;
  }
}
