package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * A follower asks the leader for a read index on behalf of a linearizable read (dissertation,
 * section 6.4); {@code requestId} is the follower's own identifier, echoed in the response.
 */
public record ReadIndex(NodeId from, NodeId to, long term, long requestId) implements RaftMessage {

  public ReadIndex {
    Messages.requireHeader(from, to, term);
  }
}
