package io.tinykv.raft.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadRunnerTest {

  private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    answers.shutdownNow();
  }

  /** Answers every request after {@code delayMicros}; counts what is in flight. */
  private final class DelayedTarget implements LoadTarget {
    final long delayMicros;
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicLong reads = new AtomicLong();
    final AtomicLong writes = new AtomicLong();
    final AtomicLong failEvery;

    DelayedTarget(long delayMicros, long failEvery) {
      this.delayMicros = delayMicros;
      this.failEvery = new AtomicLong(failEvery);
    }

    private CompletionStage<?> answer(long n) {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<Object> future = new CompletableFuture<>();
      var unused =
          answers.schedule(
              () -> {
                inFlight.decrementAndGet();
                if (failEvery.get() > 0 && n % failEvery.get() == 0) {
                  future.completeExceptionally(new IllegalStateException("refused"));
                } else {
                  future.complete("ok");
                }
              },
              delayMicros,
              TimeUnit.MICROSECONDS);
      return future;
    }

    @Override
    public CompletionStage<?> write(byte[] key, byte[] value) {
      assertThat(key).hasSize(16);
      assertThat(value).hasSize(100);
      return answer(writes.incrementAndGet());
    }

    @Override
    public CompletionStage<?> read(byte[] key) {
      return answer(reads.incrementAndGet());
    }
  }

  @Test
  void closedLoopKeepsExactlyTheConcurrencyInFlight() throws InterruptedException {
    DelayedTarget target = new DelayedTarget(500, 0);
    LoadRunner runner = new LoadRunner(target, Workload.STANDARD, 7);

    PhaseResult result = runner.run(Phase.closed("c8", 8, Duration.ofMillis(1500)));

    assertThat(target.maxInFlight.get()).isEqualTo(8);
    assertThat(target.inFlight.get()).isZero();
    assertThat(result.completed()).isEqualTo(target.writes.get()).isPositive();
    assertThat(target.reads.get()).isZero();
    assertThat(result.errors()).isEmpty();
    assertThat(result.millisAt(50)).isGreaterThanOrEqualTo(0.5);
    assertThat(result.series()).isNotEmpty();
    assertThat(result.series().stream().mapToLong(PhaseResult.Sample::completed).sum())
        .isEqualTo(result.completed());
  }

  @Test
  void readRatioSplitsTheRequests() throws InterruptedException {
    DelayedTarget target = new DelayedTarget(100, 0);
    LoadRunner runner = new LoadRunner(target, new Workload(16, 100, 100, 0.5), 11);

    PhaseResult result = runner.run(Phase.closed("mixed", 4, Duration.ofMillis(800)));

    long total = target.reads.get() + target.writes.get();
    assertThat(result.completed()).isEqualTo(total);
    assertThat((double) target.reads.get() / total).isBetween(0.4, 0.6);
  }

  @Test
  void failuresAreCountedByKindAndRetried() throws InterruptedException {
    DelayedTarget target = new DelayedTarget(200, 5);
    LoadRunner runner = new LoadRunner(target, Workload.STANDARD, 3);

    PhaseResult result = runner.run(Phase.closed("failing", 2, Duration.ofMillis(600)));

    assertThat(result.errors()).containsOnlyKeys("IllegalStateException");
    assertThat(result.errorCount() + result.completed()).isEqualTo(target.writes.get());
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(result.completed());
  }

  @Test
  void openLoopIssuesEveryIntendedRequestAndChargesStallsToThem() throws InterruptedException {
    DelayedTarget target = new DelayedTarget(200, 0);
    LoadRunner runner = new LoadRunner(target, Workload.STANDARD, 5);

    PhaseResult result = runner.run(Phase.open("r1000", 1000, 10_000, Duration.ofSeconds(1)));

    // The pacer issues one request per intended start time within the second, late or not.
    assertThat(result.completed()).isBetween(999L, 1001L);
    assertThat(result.saturated()).isFalse();
  }

  @Test
  void openLoopStopsAsSaturatedWhenTooManyAreInFlight() throws InterruptedException {
    DelayedTarget target = new DelayedTarget(2_000_000, 0);
    LoadRunner runner = new LoadRunner(target, Workload.STANDARD, 5);

    PhaseResult result = runner.run(Phase.open("r1000", 1000, 10, Duration.ofSeconds(1)));

    assertThat(result.saturated()).isTrue();
    assertThat(target.writes.get()).isEqualTo(10);
  }

  @Test
  void resultsSurviveTheTripThroughProperties() throws InterruptedException {
    PhaseResult result =
        new LoadRunner(new DelayedTarget(300, 4), Workload.STANDARD, 1)
            .run(Phase.closed("trip", 3, Duration.ofMillis(400)));
    java.util.Properties props = new java.util.Properties();
    result.toProperties(props, "x.");

    PhaseResult back = PhaseResult.fromProperties(props, "x.");

    assertThat(back.phase()).isEqualTo(result.phase());
    assertThat(back.completed()).isEqualTo(result.completed());
    assertThat(back.errors()).isEqualTo(result.errors());
    assertThat(back.series()).isEqualTo(result.series());
    assertThat(back.latencyMicros()).isEqualTo(result.latencyMicros());
  }

  @Test
  void slicesOfAPhaseAddUpToOneResultOnOneTimeAxis() throws InterruptedException {
    LoadRunner runner = new LoadRunner(new DelayedTarget(300, 7), Workload.STANDARD, 2);
    PhaseResult first = runner.run(Phase.closed("warmup", 2, Duration.ofMillis(1200)));
    PhaseResult second = runner.run(Phase.closed("warmup", 2, Duration.ofMillis(1200)));

    PhaseResult whole =
        PhaseResult.concat(
            Phase.closed("warmup", 2, Duration.ofMillis(2400)), List.of(first, second));

    assertThat(whole.completed()).isEqualTo(first.completed() + second.completed());
    assertThat(whole.errorCount()).isEqualTo(first.errorCount() + second.errorCount());
    assertThat(whole.seconds()).isEqualTo(first.seconds() + second.seconds());
    assertThat(whole.latencyMicros().getTotalCount()).isEqualTo(whole.completed());
    assertThat(whole.series()).hasSize(first.series().size() + second.series().size());
    assertThat(whole.series().get(first.series().size()).atSeconds())
        .isGreaterThan(first.seconds());
  }
}
