package io.tinykv.raft.protocol.message;

import java.util.Objects;

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
}
