package io.tinykv.raft.protocol.message;

import java.util.Objects;
import java.util.Optional;

/** Argument checks shared by the message records. */
final class Messages {

  private Messages() {}

  static void requireHeader(Object from, Object to, long term) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (term < 0) {
      throw new IllegalArgumentException("term must be >= 0, got " + term);
    }
  }

  static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }

  static void requirePositive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  /**
   * Checks a cluster response: a redirect names the leader, a definite refusal says why, and the
   * detail stays short enough for a log line.
   */
  static void requireOutcome(ClusterOutcome outcome, Optional<?> leader, String detail) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(detail, "detail");
    if (outcome == ClusterOutcome.REDIRECT && leader.isEmpty()) {
      throw new IllegalArgumentException("a redirect must name the leader");
    }
    if (outcome == ClusterOutcome.REJECTED && detail.isEmpty()) {
      throw new IllegalArgumentException("a rejection must say why");
    }
    if (detail.length() > ClusterMessage.MAX_DETAIL_LENGTH) {
      throw new IllegalArgumentException(
          "detail must have at most "
              + ClusterMessage.MAX_DETAIL_LENGTH
              + " characters, got "
              + detail.length());
    }
  }
}
