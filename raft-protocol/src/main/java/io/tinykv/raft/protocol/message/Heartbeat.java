package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The leader's periodic proof of life. {@code commit} never exceeds what the follower is known to
 * hold, so the follower may adopt it directly. A non-zero {@code readContext} asks the follower to
 * echo it back, confirming leadership for the ReadIndex reads queued up to that context.
 */
public record Heartbeat(NodeId from, NodeId to, long term, long commit, long readContext)
    implements RaftMessage {

  public Heartbeat {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(commit, "commit");
    Messages.requireNonNegative(readContext, "readContext");
  }
}
