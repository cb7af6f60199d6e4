package io.tinykv.raft.protocol;

import java.util.Objects;

/** The validation shared by the string-valued identifiers ({@link NodeId}, {@link ClusterId}). */
final class Identifiers {

  private Identifiers() {}

  /**
   * Checks that {@code value} has 1..{@code maxLength} characters and no whitespace or control
   * characters, so that it prints, logs and parses unambiguously.
   */
  static void requirePrintable(String value, String what, int maxLength) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.length() > maxLength) {
      throw new IllegalArgumentException(
          what + " must have 1.." + maxLength + " characters, got '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException(
            what + " must not contain whitespace or control characters: '" + value + "'");
      }
    }
  }
}
