package io.tinykv.raft.node.runtime.snapshot;

/**
 * A token bucket over bytes: it refills at {@code bytesPerSecond} up to {@code capacity}, and a
 * send of n bytes takes n tokens. Over any interval of length t, at most {@code capacity +
 * bytesPerSecond * t} bytes are taken. Time is passed in (nanoseconds from any fixed origin), so
 * tests count bytes against a simulated clock instead of timing real sends.
 *
 * <p>Guava's RateLimiter was considered: it blocks the caller and cannot be driven by a test clock
 * through its public API; the bucket here never blocks and is small.
 *
 * <p>Threading: one thread (the node's snapshot sender).
 */
final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double bytesPerNano;
  private final long capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(long bytesPerSecond, long capacity, long nowNanos) {
    if (bytesPerSecond < 1 || capacity < 1) {
      throw new IllegalArgumentException(
          "rate and capacity must be >= 1, got " + bytesPerSecond + " and " + capacity);
    }
    this.bytesPerNano = bytesPerSecond / NANOS_PER_SECOND;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** A bucket holding about a tenth of a second of bandwidth, and at least one chunk. */
  static TokenBucket forOptions(SnapshotOptions options, long nowNanos) {
    return new TokenBucket(
        options.bytesPerSecond(),
        Math.max(options.chunkBytes(), options.bytesPerSecond() / 10),
        nowNanos);
  }

  /**
   * Takes {@code bytes} tokens if the bucket holds them.
   *
   * @return 0 if taken, else the nanoseconds until enough tokens will have accumulated
   * @throws IllegalArgumentException if {@code bytes} exceeds the capacity (it could never pass)
   */
  long tryTake(long bytes, long nowNanos) {
    if (bytes > capacity) {
      throw new IllegalArgumentException(bytes + " bytes exceed the capacity " + capacity);
    }
    refill(nowNanos);
    if (tokens >= bytes) {
      tokens -= bytes;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((bytes - tokens) / bytesPerNano));
  }

  long capacity() {
    return capacity;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min((double) capacity, tokens + (double) elapsed * bytesPerNano);
      lastNanos = nowNanos;
    }
  }
}
