package io.tinykv.raft.node.core.quorum;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Quorum math for a configuration that may be joint (Raft paper, section 6): while C_old,new is in
 * force every decision needs a majority of both halves. A non-joint configuration has an empty
 * outgoing half, which agrees to everything.
 */
public final class JointConfig {

  private final MajorityConfig incoming;
  private final MajorityConfig outgoing;

  public JointConfig(Membership membership) {
    this.incoming = new MajorityConfig(membership.voters());
    this.outgoing = new MajorityConfig(membership.outgoingVoters());
  }

  /** The largest index acknowledged by a quorum. */
  public long committedIndex(ToLongFunction<NodeId> acked) {
    return Math.min(incoming.committedIndex(acked), outgoing.committedIndex(acked));
  }

  /** Won only if both halves are won; lost if either half is lost. */
  public VoteResult voteResult(Map<NodeId, Boolean> votes) {
    VoteResult in = incoming.voteResult(votes);
    VoteResult out = outgoing.voteResult(votes);
    if (in == VoteResult.LOST || out == VoteResult.LOST) {
      return VoteResult.LOST;
    }
    if (in == VoteResult.WON && out == VoteResult.WON) {
      return VoteResult.WON;
    }
    return VoteResult.PENDING;
  }
}
