package io.tinykv.raft.protocol;

import java.util.Objects;

/**
 * The identity of a Raft node within one cluster. Ids are short printable strings without
 * whitespace (for example {@code n1} or {@code 10.0.0.5:8001}); they are compared by value.
 */
public record NodeId(String value) implements Comparable<NodeId> {

  /** Longest id accepted, so ids stay cheap to send in every message. */
  public static final int MAX_LENGTH = 128;

  public NodeId {
    Objects.requireNonNull(value, "node id");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "node id must have 1.." + MAX_LENGTH + " characters, got '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException(
            "node id must not contain whitespace or control characters: '" + value + "'");
      }
    }
  }

  public static NodeId of(String value) {
    return new NodeId(value);
  }

  @Override
  public int compareTo(NodeId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
