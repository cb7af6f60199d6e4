package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The answer to a {@link RequestVote}. A granted pre-vote echoes the requested term; a rejection
 * carries the voter's own term so that a stale candidate learns it.
 */
public record RequestVoteResponse(
    NodeId from, NodeId to, long term, boolean preVote, boolean granted) implements RaftMessage {

  public RequestVoteResponse {
    Messages.requireHeader(from, to, term);
  }
}
