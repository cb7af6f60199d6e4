package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The follower's answer to {@link AppendEntries}. On success {@code index} is the highest index now
 * known to match the leader's log (and be durable on the follower). On rejection {@code index} is
 * the rejected {@code prevLogIndex}, and {@code hintIndex}/{@code hintTerm} point at the last entry
 * that may still match, so the leader can skip a whole term of conflicting entries in one round
 * trip (dissertation, section 5.3's optimisation).
 */
public record AppendEntriesResponse(
    NodeId from, NodeId to, long term, boolean success, long index, long hintIndex, long hintTerm)
    implements RaftMessage {

  public AppendEntriesResponse {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(index, "index");
    Messages.requireNonNegative(hintIndex, "hintIndex");
    Messages.requireNonNegative(hintTerm, "hintTerm");
  }

  public static AppendEntriesResponse accept(NodeId from, NodeId to, long term, long matchIndex) {
    return new AppendEntriesResponse(from, to, term, true, matchIndex, 0, 0);
  }
}
