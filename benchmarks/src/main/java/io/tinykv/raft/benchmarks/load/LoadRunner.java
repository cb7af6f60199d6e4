package io.tinykv.raft.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives a {@link LoadTarget} through {@link Phase phases}: closed loop (a fixed number of requests
 * in flight, each completion issuing the next) or open loop (a pacing thread issuing at a fixed
 * rate, latency measured from each request's intended start). Latencies go into an HdrHistogram
 * {@link Recorder}, sampled once per second for the time series.
 *
 * <p>Every phase is bounded: requests are issued only until the phase's duration or request cap is
 * reached, and the runner waits at most {@link #DRAIN_TIMEOUT} for the last answers.
 */
public final class LoadRunner {

  static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final long RETRY_DELAY_MICROS = 10_000;

  private final LoadTarget target;
  private final Workload workload;
  private final byte[][] keys;
  private final byte[] value;
  private final long seed;

  /**
   * @param seed picks the keys and the reads (each issuing thread derives its own stream)
   */
  public LoadRunner(LoadTarget target, Workload workload, long seed) {
    this.target = Objects.requireNonNull(target, "target");
    this.workload = Objects.requireNonNull(workload, "workload");
    this.keys = workload.keys();
    this.value = workload.value();
    this.seed = seed;
  }

  /** Runs {@code phase} to its end and returns what it measured. */
  public PhaseResult run(Phase phase) throws InterruptedException {
    Run run = new Run(phase);
    try {
      return run.execute();
    } finally {
      run.retries.shutdownNow();
    }
  }

  private final class Run {
    final Phase phase;
    final Recorder recorder = new Recorder(3);
    final AtomicLong issued = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final CountDownLatch drained = new CountDownLatch(1);
    final ScheduledExecutorService retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "load-retry");
              t.setDaemon(true);
              return t;
            });
    final ThreadLocal<SplittableRandom> random;
    volatile long deadline;
    volatile boolean issuing = true;

    Run(Phase phase) {
      this.phase = phase;
      SplittableRandom root = new SplittableRandom(seed ^ phase.name().hashCode());
      this.random =
          ThreadLocal.withInitial(
              () -> {
                synchronized (root) {
                  return root.split();
                }
              });
    }

    PhaseResult execute() throws InterruptedException {
      long start = System.nanoTime();
      deadline = start + phase.duration().toNanos();
      Thread pacer = null;
      if (phase.isOpenLoop()) {
        pacer = new Thread(() -> pace(start), "load-pacer");
        pacer.setDaemon(true);
        pacer.start();
      } else {
        for (int i = 0; i < phase.concurrency() && issued.get() < phase.maxRequests(); i++) {
          inFlight.incrementAndGet();
          issue(System.nanoTime());
        }
        if (inFlight.get() == 0) {
          drained.countDown();
        }
      }
      List<PhaseResult.Sample> series = new ArrayList<>();
      Histogram total = new Histogram(3);
      Histogram interval = null;
      long nextSample = start + TimeUnit.SECONDS.toNanos(1);
      long drainDeadline = deadline + DRAIN_TIMEOUT.toNanos();
      while (true) {
        long now = System.nanoTime();
        boolean done = drained.getCount() == 0 || now - drainDeadline >= 0;
        if (!done && now - nextSample < 0) {
          boolean unused =
              drained.await(
                  Math.min(nextSample - now, TimeUnit.MILLISECONDS.toNanos(100)),
                  TimeUnit.NANOSECONDS);
          continue;
        }
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        double at = (System.nanoTime() - start) / 1e9;
        if (interval.getTotalCount() > 0 || !done) {
          series.add(
              new PhaseResult.Sample(
                  at,
                  interval.getTotalCount(),
                  interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(50),
                  interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99),
                  interval.getMaxValue()));
        }
        nextSample += TimeUnit.SECONDS.toNanos(1);
        if (done) {
          break;
        }
      }
      issuing = false;
      if (pacer != null) {
        pacer.join(TimeUnit.SECONDS.toMillis(5));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Map<String, Long> errorCounts = new TreeMap<>();
      errors.forEach((kind, count) -> errorCounts.put(kind, count.sum()));
      int unanswered = inFlight.get();
      if (unanswered > 0) {
        errorCounts.put("unanswered after " + DRAIN_TIMEOUT.toSeconds() + " s", (long) unanswered);
      }
      return new PhaseResult(
          phase, seconds, total.getTotalCount(), errorCounts, saturated, total, series);
    }

    volatile boolean saturated;

    /** The open loop: issue at the intended times, never catching up by skipping any. */
    void pace(long start) {
      double intervalNanos = 1e9 / phase.ratePerSecond();
      long sent = 0;
      try {
        while (issuing) {
          long now = System.nanoTime();
          long intended = start + (long) (sent * intervalNanos);
          // Every request intended before the deadline is issued, however late: skipping the late
          // ones would hide a stall (coordinated omission).
          if (intended - deadline >= 0 || sent >= phase.maxRequests()) {
            break;
          }
          if (intended - now > 0) {
            LockSupport.parkNanos(Math.min(intended - now, TimeUnit.MILLISECONDS.toNanos(10)));
            continue;
          }
          if (inFlight.get() >= phase.concurrency()) {
            saturated = true;
            break;
          }
          inFlight.incrementAndGet();
          issue(intended);
          sent++;
        }
      } finally {
        pacerDone = true;
        if (inFlight.get() == 0) {
          drained.countDown();
        }
      }
    }

    volatile boolean pacerDone;

    /** Issues one request whose latency counts from {@code intendedStart}. */
    void issue(long intendedStart) {
      issued.incrementAndGet();
      SplittableRandom r = random.get();
      byte[] key = keys[r.nextInt(keys.length)];
      CompletionStage<?> stage;
      try {
        stage = workload.nextIsRead(r) ? target.read(key) : target.write(key, value);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((result, failure) -> completed(intendedStart, failure));
    }

    void completed(long intendedStart, Throwable failure) {
      long now = System.nanoTime();
      if (failure == null) {
        recorder.recordValue(Math.max(1, (now - intendedStart) / 1000));
      } else {
        Throwable cause =
            failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        errors
            .computeIfAbsent(
                cause.getClass().getSimpleName(),
                kind -> {
                  // The first failure of each kind, whole, for whoever reads the log.
                  System.err.println(phase.name() + ": first " + kind + ": " + cause);
                  return new LongAdder();
                })
            .increment();
      }
      if (!phase.isOpenLoop()
          && issuing
          && now - deadline < 0
          && issued.get() < phase.maxRequests()) {
        if (failure == null) {
          issue(now);
          return;
        }
        try {
          var unused =
              retries.schedule(
                  () -> issue(System.nanoTime()), RETRY_DELAY_MICROS, TimeUnit.MICROSECONDS);
          return;
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
          // the phase is over: fall through and count this request as finished
        }
      }
      if (inFlight.decrementAndGet() == 0 && (!phase.isOpenLoop() || pacerDone)) {
        drained.countDown();
      }
    }
  }
}
