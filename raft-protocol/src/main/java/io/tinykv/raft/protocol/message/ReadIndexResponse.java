package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The leader's answer to {@link ReadIndex}: once the follower has applied up to {@code readIndex}
 * it may serve the read. A refusal ({@code success == false}) means the leader could not confirm
 * its leadership now; the read should be retried.
 */
public record ReadIndexResponse(
    NodeId from, NodeId to, long term, long requestId, boolean success, long readIndex)
    implements RaftMessage {

  public ReadIndexResponse {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(readIndex, "readIndex");
  }
}
