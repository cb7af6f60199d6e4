package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * A candidate asks for a vote (Raft paper, section 5.2), or, with {@code preVote}, asks whether it
 * would get one without disturbing anyone's term (dissertation, section 9.6). A pre-vote carries
 * the term the candidate would campaign in. {@code leadershipTransfer} marks a campaign started by
 * {@link TimeoutNow}, which voters honour even while they hear from a live leader.
 */
public record RequestVote(
    NodeId from,
    NodeId to,
    long term,
    long lastLogIndex,
    long lastLogTerm,
    boolean preVote,
    boolean leadershipTransfer)
    implements RaftMessage {

  public RequestVote {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(lastLogIndex, "lastLogIndex");
    Messages.requireNonNegative(lastLogTerm, "lastLogTerm");
  }
}
