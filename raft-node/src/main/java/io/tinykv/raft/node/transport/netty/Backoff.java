package io.tinykv.raft.node.transport.netty;

import java.time.Duration;
import java.util.Random;

/**
 * Reconnect delays: doubling from a minimum up to a cap, each drawn uniformly from the upper half
 * of its step ("equal jitter"), so that nodes that lost a peer at the same moment do not redial in
 * lock step, yet no delay falls below half the minimum.
 *
 * <p>Not thread-safe: one instance per peer, used on that peer's event loop. The {@link Random} may
 * be shared (it is thread-safe); seed it to replay a test.
 */
final class Backoff {

  private final long minMillis;
  private final long maxMillis;
  private final Random random;
  private int failures; // consecutive, since the last reset

  Backoff(Duration min, Duration max, Random random) {
    this.minMillis = Math.max(1, min.toMillis());
    this.maxMillis = Math.max(minMillis, max.toMillis());
    this.random = random;
  }

  /** The delay before the next attempt; each call without a {@link #reset} doubles the step. */
  long nextDelayMillis() {
    long step = step(failures);
    if (failures < Integer.MAX_VALUE) {
      failures++;
    }
    long half = step / 2;
    return step - half + random.nextLong(half + 1);
  }

  /** After a connection succeeded: the next failure waits the minimum again. */
  void reset() {
    failures = 0;
  }

  /** The undithered delay of the {@code n}th consecutive failure: min * 2^n, at most max. */
  long step(int n) {
    return n >= 62 || minMillis > (maxMillis >> n) ? maxMillis : minMillis << n;
  }
}
