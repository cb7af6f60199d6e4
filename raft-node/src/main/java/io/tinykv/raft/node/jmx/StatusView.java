package io.tinykv.raft.node.jmx;

import io.tinykv.raft.node.core.PeerProgress;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.core.quorum.JointConfig;
import io.tinykv.raft.node.core.quorum.VoteResult;
import io.tinykv.raft.protocol.NodeId;
import java.util.Map;
import java.util.TreeMap;

/** Readings derived from a published {@link RaftStatus}; pure functions. */
final class StatusView {

  private StatusView() {}

  /**
   * Whether a leader's status shows a majority (of both halves, while joint) heard from within
   * {@code electionTicks}, counting {@code extraTicks} more of silence than the status shows. This
   * is the core's check-quorum rule, applied to the published progress; false unless leader.
   */
  static boolean quorumHeard(RaftStatus status, int electionTicks, long extraTicks) {
    if (status.role() != Role.LEADER) {
      return false;
    }
    Map<NodeId, Boolean> heard = new TreeMap<>();
    for (NodeId member : status.membership().allMembers()) {
      PeerProgress p = status.progress().get(member);
      boolean self = member.equals(status.id());
      heard.put(member, self || (p != null && p.ticksSinceHeard() + extraTicks <= electionTicks));
    }
    return new JointConfig(status.membership()).voteResult(heard) == VoteResult.WON;
  }

  /** The node's role as management shows it: a learner is {@code LEARNER}, whatever it does. */
  static String role(RaftStatus status) {
    return status.membership().learners().contains(status.id()) ? "LEARNER" : status.role().name();
  }

  /** What {@code status}'s node knows of {@code member}'s role. */
  static String roleOf(RaftStatus status, NodeId member) {
    if (member.equals(status.id())) {
      return role(status);
    }
    if (status.leader().filter(member::equals).isPresent()) {
      return Role.LEADER.name();
    }
    if (status.membership().learners().contains(member)) {
      return "LEARNER";
    }
    return status.leader().isPresent() ? Role.FOLLOWER.name() : "UNKNOWN";
  }
}
