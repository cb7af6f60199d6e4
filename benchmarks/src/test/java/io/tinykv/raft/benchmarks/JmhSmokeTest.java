package io.tinykv.raft.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark in this module, every parameter combination, one short iteration through the
 * real JMH runner (in this JVM, no warm-up): the benchmarks cannot rot without the build noticing.
 * Scores from this are meaningless; the full run is the README's command.
 */
class JmhSmokeTest {

  @Test
  void everyBenchmarkRunsOneShortIteration() throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("io\\.tinykv\\.raft\\.benchmarks\\..*")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .shouldFailOnError(true)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> benchmarks = new HashSet<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      benchmarks.add(name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1));
      assertThat(result.getPrimaryResult().getScore())
          .as(result.getParams().toString())
          .isPositive();
    }
    assertThat(benchmarks)
        .contains(
            "MessageCodecBenchmark.encode",
            "MessageCodecBenchmark.decode",
            "CoreCycleBenchmark.proposeToApplied",
            "RaftRingBenchmark.publish",
            "LogAppendBenchmark.segmentedLog",
            "LogAppendBenchmark.rawFileChannel",
            "LogReadBenchmark.sequentialRead");
  }
}
