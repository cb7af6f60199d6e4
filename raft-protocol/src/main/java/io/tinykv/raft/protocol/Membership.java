package io.tinykv.raft.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters, and while a joint-consensus change is in progress the voters
 * of the outgoing configuration; plus non-voting learners; plus where members listen, so that every
 * node (including one that joined later or restored a snapshot) can reach every other.
 *
 * <p>Invariants: there is at least one voter; a learner is never a voter in either half; a
 * non-joint configuration has an empty {@code outgoingVoters}; addresses are known only for members
 * (a member may have none, for example in an embedding that resolves ids itself). All sets and maps
 * are immutable and sorted.
 */
public record Membership(
    Set<NodeId> voters,
    Set<NodeId> outgoingVoters,
    Set<NodeId> learners,
    Map<NodeId, NodeAddress> addresses) {

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
    Objects.requireNonNull(addresses, "addresses");
    TreeMap<NodeId, NodeAddress> sorted = new TreeMap<>();
    for (Map.Entry<NodeId, NodeAddress> e : addresses.entrySet()) {
      NodeId id = Objects.requireNonNull(e.getKey(), "addresses contain a null id");
      if (!voters.contains(id) && !outgoingVoters.contains(id) && !learners.contains(id)) {
        throw new IllegalArgumentException("address given for " + id + ", which is not a member");
      }
      sorted.put(id, Objects.requireNonNull(e.getValue(), "address of " + id));
    }
    addresses = Collections.unmodifiableSortedMap(sorted);
  }

  /** A configuration whose members' addresses are not known here. */
  public Membership(Set<NodeId> voters, Set<NodeId> outgoingVoters, Set<NodeId> learners) {
    this(voters, outgoingVoters, learners, Map.of());
  }

  /** A simple (non-joint) configuration of the given voters and no learners. */
  public static Membership ofVoters(Set<NodeId> voters) {
    return new Membership(voters, Set.of(), Set.of());
  }

  /** A simple configuration of the given voters, with their addresses, and no learners. */
  public static Membership ofVoters(Map<NodeId, NodeAddress> votersWithAddresses) {
    return new Membership(votersWithAddresses.keySet(), Set.of(), Set.of(), votersWithAddresses);
  }

  /** Where {@code id} listens, if it is a member whose address is known. */
  public Optional<NodeAddress> address(NodeId id) {
    return Optional.ofNullable(addresses.get(id));
  }

  /** The member listening at {@code address}, if any. */
  public Optional<NodeId> memberAt(NodeAddress address) {
    for (Map.Entry<NodeId, NodeAddress> e : addresses.entrySet()) {
      if (e.getValue().equals(address)) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  /** True if {@code id} is a voter (in either half) or a learner. */
  public boolean isMember(NodeId id) {
    return isVoter(id) || learners.contains(id);
  }

  /** This configuration with {@code id} added as a learner listening at {@code address}. */
  public Membership withLearner(NodeId id, NodeAddress address) {
    requireSimple("add a learner");
    if (isMember(id)) {
      throw new IllegalArgumentException(id + " is already a member");
    }
    return new Membership(voters, Set.of(), union(learners, id), withEntry(id, address));
  }

  /** This configuration with learner {@code id} made a voter. */
  public Membership withLearnerPromoted(NodeId id) {
    requireSimple("promote a learner");
    if (!learners.contains(id)) {
      throw new IllegalArgumentException(id + " is not a learner");
    }
    return new Membership(union(voters, id), Set.of(), minus(learners, id), addresses);
  }

  /** This configuration without member {@code id}. */
  public Membership without(NodeId id) {
    requireSimple("remove a member");
    if (!isMember(id)) {
      throw new IllegalArgumentException(id + " is not a member");
    }
    if (voters.equals(Set.of(id))) {
      throw new IllegalArgumentException("cannot remove " + id + ", the only voter");
    }
    TreeMap<NodeId, NodeAddress> remaining = new TreeMap<>(addresses);
    remaining.remove(id);
    return new Membership(minus(voters, id), Set.of(), minus(learners, id), remaining);
  }

  /**
   * The joint configuration C_old,new (Raft paper, section 6) for moving from this simple
   * configuration to {@code target}: decisions need majorities of both voter sets.
   */
  public Membership jointWith(Membership target) {
    requireSimple("enter a joint configuration");
    target.requireSimple("be the target of a change");
    TreeMap<NodeId, NodeAddress> all = new TreeMap<>(addresses);
    all.putAll(target.addresses);
    all.keySet().retainAll(union(union(target.voters, voters), target.learners));
    for (NodeId learner : target.learners) {
      if (voters.contains(learner)) {
        throw new IllegalArgumentException(
            "cannot turn voter " + learner + " into a learner; remove it instead");
      }
    }
    return new Membership(target.voters, voters, target.learners, all);
  }

  /** The simple configuration C_new that ends this joint one. */
  public Membership leaveJoint() {
    if (!isJoint()) {
      throw new IllegalStateException("not a joint configuration: " + this);
    }
    TreeMap<NodeId, NodeAddress> kept = new TreeMap<>(addresses);
    kept.keySet().retainAll(union(voters, learners));
    return new Membership(voters, Set.of(), learners, kept);
  }

  private void requireSimple(String action) {
    if (isJoint()) {
      throw new IllegalStateException("cannot " + action + " during a joint change: " + this);
    }
  }

  private Map<NodeId, NodeAddress> withEntry(NodeId id, NodeAddress address) {
    TreeMap<NodeId, NodeAddress> copy = new TreeMap<>(addresses);
    copy.put(id, Objects.requireNonNull(address, "address"));
    return copy;
  }

  private static Set<NodeId> union(Set<NodeId> a, NodeId b) {
    return union(a, Set.of(b));
  }

  private static Set<NodeId> union(Set<NodeId> a, Set<NodeId> b) {
    TreeSet<NodeId> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }

  private static Set<NodeId> minus(Set<NodeId> a, NodeId b) {
    return minus(a, Set.of(b));
  }

  private static Set<NodeId> minus(Set<NodeId> a, Set<NodeId> b) {
    TreeSet<NodeId> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
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
