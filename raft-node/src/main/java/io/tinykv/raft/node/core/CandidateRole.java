package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVoteResponse;

/**
 * A candidate collecting votes (Raft paper, section 5.2), or a pre-candidate collecting pre-votes
 * before it disturbs anyone's term (dissertation, section 9.6).
 */
final class CandidateRole implements RoleBehaviour {

  private final Raft raft;
  private final boolean preVote;

  CandidateRole(Raft raft, boolean preVote) {
    this.raft = raft;
    this.preVote = preVote;
  }

  @Override
  public Role role() {
    return preVote ? Role.PRE_CANDIDATE : Role.CANDIDATE;
  }

  @Override
  public void tick() {
    raft.tickElection();
  }

  @Override
  public void step(RaftMessage message) {
    if (message instanceof AppendEntries || message instanceof Heartbeat) {
      followLeader(message);
    } else if (message instanceof RequestVoteResponse m && m.preVote() == preVote) {
      raft.tracker().recordVote(m.from(), m.granted());
      raft.checkElectionResult(preVote);
    }
    // Nothing else concerns a candidate.
  }

  /** A leader exists in our term: it won, so follow it and let the follower handle it. */
  private void followLeader(RaftMessage m) {
    raft.becomeFollower(raft.term(), m.from());
    raft.behaviour().step(m);
  }
}
