package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.WireCoded;

/**
 * How a cluster request ended, telling the caller what to do next. Each outcome has a stable
 * one-byte wire code; codes are never reused.
 */
public enum ClusterOutcome implements WireCoded {
  /** Done: the change is committed (or the join accepted). */
  OK((byte) 1),
  /** This node is not the leader; ask the leader named in the response. */
  REDIRECT((byte) 2),
  /** Not possible now (no leader known, another change in progress); retrying later may work. */
  RETRY((byte) 3),
  /** Refused for good (invalid request, unknown node); the detail says why. */
  REJECTED((byte) 4),
  /**
   * The change was proposed but its fate is not known (for example a timeout); check before
   * retrying.
   */
  UNKNOWN((byte) 5);

  private final byte code;

  ClusterOutcome(byte code) {
    this.code = code;
  }

  @Override
  public byte code() {
    return code;
  }

  /**
   * Returns the constant with the given code.
   *
   * @throws IllegalArgumentException if the code is unknown
   */
  public static ClusterOutcome fromCode(byte code) {
    return WireCoded.fromCode(ClusterOutcome.class, code);
  }
}
