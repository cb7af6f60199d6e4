package io.tinykv.raft.protocol;

/**
 * The identity of a cluster. Two nodes only form a peer link when they agree on it, so a node
 * started with another cluster's address list (or a stale data directory) is refused at the
 * handshake instead of mixing two clusters' logs. Same lexical rules as {@link NodeId}.
 */
public record ClusterId(String value) {

  /** Longest id accepted. */
  public static final int MAX_LENGTH = 128;

  public ClusterId {
    Identifiers.requirePrintable(value, "cluster id", MAX_LENGTH);
  }

  public static ClusterId of(String value) {
    return new ClusterId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
