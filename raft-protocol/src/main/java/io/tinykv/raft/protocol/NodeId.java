package io.tinykv.raft.protocol;

/**
 * The identity of a Raft node within one cluster. Ids are short printable strings without
 * whitespace (for example {@code n1} or {@code 10.0.0.5:8001}); they are compared by value.
 */
public record NodeId(String value) implements Comparable<NodeId> {

  /** Longest id accepted, so ids stay cheap to send in every message. */
  public static final int MAX_LENGTH = 128;

  public NodeId {
    Identifiers.requirePrintable(value, "node id", MAX_LENGTH);
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
