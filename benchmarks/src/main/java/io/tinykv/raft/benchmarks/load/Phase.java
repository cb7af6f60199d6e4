package io.tinykv.raft.benchmarks.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One stretch of load: closed loop with {@code concurrency} requests in flight, or, when {@code
 * ratePerSecond} is positive, open loop at that fixed rate (latency measured from each request's
 * intended start, so a stall is charged to every request it delayed: no coordinated omission).
 *
 * @param name shows in the report, e.g. {@code warmup} or {@code c256}
 * @param concurrency requests in flight (closed loop); in open loop the most allowed in flight
 *     before the phase gives up as saturated
 * @param ratePerSecond 0 for closed loop, else the open loop's fixed rate
 * @param duration how long to issue requests
 * @param maxRequests an upper bound on requests issued, whatever the duration
 */
public record Phase(
    String name, int concurrency, long ratePerSecond, Duration duration, long maxRequests) {

  /** The default cap on requests per phase: far above what two cores can do in an hour. */
  public static final long DEFAULT_MAX_REQUESTS = 1_000_000_000L;

  public Phase {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("phase names are [A-Za-z0-9_.-]+, got '" + name + "'");
    }
    if (concurrency < 1 || concurrency > 1_000_000) {
      throw new IllegalArgumentException("concurrency must be 1..1000000, got " + concurrency);
    }
    if (ratePerSecond < 0 || ratePerSecond > 10_000_000) {
      throw new IllegalArgumentException("rate must be 0..10000000/s, got " + ratePerSecond);
    }
    if (duration.isNegative() || duration.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("duration must be 0 s..1 h, got " + duration);
    }
    if (maxRequests < 1) {
      throw new IllegalArgumentException("maxRequests must be >= 1, got " + maxRequests);
    }
  }

  public static Phase closed(String name, int concurrency, Duration duration) {
    return new Phase(name, concurrency, 0, duration, DEFAULT_MAX_REQUESTS);
  }

  public static Phase open(String name, long ratePerSecond, int maxInFlight, Duration duration) {
    return new Phase(name, maxInFlight, ratePerSecond, duration, DEFAULT_MAX_REQUESTS);
  }

  public boolean isOpenLoop() {
    return ratePerSecond > 0;
  }

  /** {@code c=256} or {@code rate=5000/s}. */
  public String shape() {
    return isOpenLoop() ? "rate=" + ratePerSecond + "/s" : "c=" + concurrency;
  }
}
