package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The leader tells a fully caught-up follower to start an election at once, handing over leadership
 * (dissertation, section 3.10).
 */
public record TimeoutNow(NodeId from, NodeId to, long term) implements RaftMessage {

  public TimeoutNow {
    Messages.requireHeader(from, to, term);
  }
}
