package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.kv.KvLimits;

/**
 * Settings of a {@link KvService}.
 *
 * @param limits the key and value size limits checked before a write is proposed
 * @param keptSubmitResults how many {@code SUBMIT} results this node keeps for {@code RESULT}; the
 *     oldest are forgotten first
 * @param tickMillis the node's tick length, to show the leader's last contact with each peer (kept
 *     in ticks) in milliseconds
 */
public record KvServiceOptions(KvLimits limits, int keptSubmitResults, int tickMillis) {

  /** The state machine's default limits, the last 10,000 SUBMIT results, a 10 ms tick. */
  public static final KvServiceOptions DEFAULTS =
      new KvServiceOptions(KvLimits.DEFAULTS, 10_000, 10);

  public KvServiceOptions {
    if (keptSubmitResults < 1) {
      throw new IllegalArgumentException(
          "keptSubmitResults must be at least 1, got " + keptSubmitResults);
    }
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be at least 1, got " + tickMillis);
    }
  }
}
