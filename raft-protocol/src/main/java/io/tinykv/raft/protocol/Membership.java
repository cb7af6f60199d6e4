package io.tinykv.raft.protocol;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters, and while a joint-consensus change is in progress the voters
 * of the outgoing configuration; plus non-voting learners.
 *
 * <p>Invariants: there is at least one voter; a learner is never a voter in either half; a
 * non-joint configuration has an empty {@code outgoingVoters}. All sets are immutable and sorted.
 */
public record Membership(Set<NodeId> voters, Set<NodeId> outgoingVoters, Set<NodeId> learners) {

  public Membership {
    voters = sortedCopy(voters, "voters");
    outgoingVoters = sortedCopy(outgoingVoters, "outgoingVoters");
    learners = sortedCopy(learners, "learners");
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("a configuration needs at least one voter");
    }
    for (NodeId learner : learners) {
      if (voters.contains(learner) || outgoingVoters.contains(learner)) {
        throw new IllegalArgumentException(learner + " cannot be both a voter and a learner");
      }
    }
  }

  /** A simple (non-joint) configuration of the given voters and no learners. */
  public static Membership ofVoters(Set<NodeId> voters) {
    return new Membership(voters, Set.of(), Set.of());
  }

  /** True while a joint-consensus change (C_old,new) is in progress. */
  public boolean isJoint() {
    return !outgoingVoters.isEmpty();
  }

  /** True if the node votes in either half of the configuration. */
  public boolean isVoter(NodeId id) {
    return voters.contains(id) || outgoingVoters.contains(id);
  }

  /** Every node that receives replication: voters of both halves and learners. */
  public SortedSet<NodeId> allMembers() {
    TreeSet<NodeId> all = new TreeSet<>(voters);
    all.addAll(outgoingVoters);
    all.addAll(learners);
    return Collections.unmodifiableSortedSet(all);
  }

  private static Set<NodeId> sortedCopy(Set<NodeId> ids, String what) {
    Objects.requireNonNull(ids, what);
    TreeSet<NodeId> copy = new TreeSet<>();
    for (NodeId id : ids) {
      copy.add(Objects.requireNonNull(id, what + " contains null"));
    }
    return Collections.unmodifiableSortedSet(copy);
  }
}
