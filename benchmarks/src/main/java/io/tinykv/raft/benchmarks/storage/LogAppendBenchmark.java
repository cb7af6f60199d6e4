package io.tinykv.raft.benchmarks.storage;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import io.tinykv.raft.storage.segment.LogConfig;
import io.tinykv.raft.storage.segment.SegmentedLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Group commit: append a batch of {@code batchSize} entries of 100-byte payloads and make it
 * durable with one fsync, against the hardware limit measured in the same run: a plain {@link
 * FileChannel} appending the same number of bytes and calling {@code force(false)}.
 *
 * <p>The primary score is batches per second; the {@link Throughput} counters give entries per
 * second and payload bytes per second. Both sides write {@value #RECORD_BYTES} bytes per entry (the
 * payload and the log's record framing).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LogAppendBenchmark {

  static final int PAYLOAD_BYTES = 100;

  /** Payload plus the record framing of the segment format (length, CRC, fixed fields). */
  static final int RECORD_BYTES = PAYLOAD_BYTES + 34;

  /** The segmented log, appending and syncing one batch per call. */
  @State(Scope.Thread)
  public static class LogState {

    @Param({"1", "10", "100", "1000"})
    public int batchSize;

    Path dir;
    SegmentedLog log;
    final byte[] payload = new byte[PAYLOAD_BYTES];

    @Setup(Level.Trial)
    public void open() {
      dir = BenchmarkFiles.createDirectory("tinykv-append-");
      log =
          SegmentedLog.open(
              dir, LogConfig.DEFAULT, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT);
    }

    List<LogEntry> nextBatch() {
      long first = log.writtenIndex() + 1;
      List<LogEntry> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        batch.add(LogEntry.command(first + i, 1, 0, payload));
      }
      return batch;
    }

    @TearDown(Level.Trial)
    public void close() {
      log.close();
      BenchmarkFiles.deleteTree(dir);
    }
  }

  /** A raw file channel: the same bytes per batch, one {@code write} and one {@code force}. */
  @State(Scope.Thread)
  public static class RawState {

    @Param({"1", "10", "100", "1000"})
    public int batchSize;

    Path dir;
    FileChannel channel;
    ByteBuffer batch;

    @Setup(Level.Trial)
    public void open() throws IOException {
      dir = BenchmarkFiles.createDirectory("tinykv-raw-");
      channel =
          FileChannel.open(
              dir.resolve("raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      batch = ByteBuffer.allocateDirect(batchSize * RECORD_BYTES);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
      channel.close();
      BenchmarkFiles.deleteTree(dir);
    }
  }

  @Benchmark
  public long segmentedLog(LogState state, Throughput throughput) {
    state.log.append(state.nextBatch());
    throughput.add(state.batchSize, PAYLOAD_BYTES);
    return state.log.sync();
  }

  @Benchmark
  public long rawFileChannel(RawState state, Throughput throughput) throws IOException {
    ByteBuffer batch = state.batch.clear();
    while (batch.hasRemaining()) {
      state.channel.write(batch);
    }
    state.channel.force(false);
    throughput.add(state.batchSize, PAYLOAD_BYTES);
    return state.channel.size();
  }
}
