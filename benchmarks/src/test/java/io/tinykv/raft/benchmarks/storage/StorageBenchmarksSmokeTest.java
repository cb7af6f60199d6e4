package io.tinykv.raft.benchmarks.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Runs each storage benchmark method once, outside JMH, so that the benchmarks cannot rot without
 * the build noticing (a full JMH run takes minutes; this takes about a second).
 */
class StorageBenchmarksSmokeTest {

  @Test
  void appendBenchmarksRunOnce() throws IOException {
    LogAppendBenchmark benchmark = new LogAppendBenchmark();
    Throughput throughput = new Throughput();
    throughput.reset();
    LogAppendBenchmark.LogState log = new LogAppendBenchmark.LogState();
    log.batchSize = 10;
    log.open();
    try {
      assertThat(benchmark.segmentedLog(log, throughput)).isEqualTo(10);
      assertThat(benchmark.segmentedLog(log, throughput)).isEqualTo(20);
    } finally {
      log.close();
    }
    LogAppendBenchmark.RawState raw = new LogAppendBenchmark.RawState();
    raw.batchSize = 10;
    raw.open();
    try {
      assertThat(benchmark.rawFileChannel(raw, throughput))
          .isEqualTo(10L * LogAppendBenchmark.RECORD_BYTES);
    } finally {
      raw.close();
    }
    assertThat(throughput.entries).isEqualTo(30);
    assertThat(throughput.payloadBytes).isEqualTo(30L * LogAppendBenchmark.PAYLOAD_BYTES);
  }

  @Test
  void readBenchmarkRunsOnceFromEachSource() {
    for (String source : new String[] {"cache", "disk"}) {
      LogReadBenchmark benchmark = new LogReadBenchmark();
      benchmark.source = source;
      benchmark.fill();
      try {
        Throughput throughput = new Throughput();
        assertThat(benchmark.sequentialRead(throughput)).hasSize(100);
        assertThat(benchmark.sequentialRead(throughput).get(0).index()).isEqualTo(101);
        assertThat(throughput.entries).isEqualTo(200);
      } finally {
        benchmark.close();
      }
    }
  }
}
