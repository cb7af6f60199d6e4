package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/** The follower's answer to a {@link Heartbeat}, echoing its read context. */
public record HeartbeatResponse(NodeId from, NodeId to, long term, long readContext)
    implements RaftMessage {

  public HeartbeatResponse {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(readContext, "readContext");
  }
}
