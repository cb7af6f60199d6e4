package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An operator changing the cluster at random times, drawn from the world's random source: adding a
 * node (a new node with an empty disk, added as a learner, which the leader promotes once it has
 * caught up) and removing a member (a learner, a voter, or the leader itself), keeping between
 * {@value #MIN_VOTERS} and {@value #MAX_VOTERS} voters. In a replacing scenario it instead swaps
 * the original members out one by one: add a node, wait for its promotion, remove an original.
 *
 * <p>Changes go to the node that believes it leads the highest term, which may be stale; the
 * operator mostly waits while the leader's latest configuration is joint or not yet committed, and
 * sometimes does not (the leader must then refuse); a leader may refuse for other reasons too (no
 * quorum, a transfer, a new leader that has not committed an entry of its term). A node whose
 * addition is refused is retired; one whose addition was accepted and then lost keeps running as a
 * non-member, like a removed member does.
 */
final class MembershipChurn {

  static final int MIN_VOTERS = 3;
  static final int MAX_VOTERS = 7;

  private final World world;
  private final Scenario scenario;
  private final Random random;
  private final Set<NodeId> originals;
  private boolean active = true;

  MembershipChurn(World world, Scenario scenario) {
    this.world = world;
    this.scenario = scenario;
    this.random = world.random();
    this.originals = new TreeSet<>(world.ids());
  }

  void start() {
    scheduleNext();
  }

  void stop() {
    active = false;
  }

  private void scheduleNext() {
    world.after(1 + random.nextInt(scenario.membershipGapTicks() * World.TICK), this::fire);
  }

  private void fire() {
    if (!active) {
      return;
    }
    Optional<NodeId> leader = world.leader();
    if (leader.isPresent()) {
      SimNode n = world.node(leader.get());
      RaftStatus s = n.raw().status();
      Membership current = s.membership();
      // Now and then an impatient operator does not wait for the last change to commit: the
      // leader must refuse (one change at a time).
      boolean settled = n.logConfigIndex() <= s.commitIndex();
      if (!current.isJoint() && (settled || random.nextInt(4) == 0)) {
        if (scenario.replaceAll()) {
          replaceStep(leader.get(), current);
        } else {
          randomStep(leader.get(), current);
        }
      }
    }
    scheduleNext();
  }

  private void randomStep(NodeId leader, Membership current) {
    int voters = current.voters().size();
    int learners = current.learners().size();
    boolean canAdd = voters + learners < MAX_VOTERS;
    boolean canRemove = voters > MIN_VOTERS || learners > 0;
    if (canAdd && (!canRemove || random.nextBoolean())) {
      add(world, leader, current);
      return;
    }
    if (!canRemove) {
      return;
    }
    NodeId victim;
    if (learners > 0 && (voters <= MIN_VOTERS || random.nextInt(3) == 0)) {
      victim = pick(new ArrayList<>(current.learners()));
    } else if (random.nextInt(3) == 0 && current.isVoter(leader)) {
      // (A leader may lead a configuration without itself while that is being committed.)
      victim = leader;
    } else {
      victim = pick(new ArrayList<>(current.voters()));
    }
    world.proposeMembership(leader, current.without(victim));
  }

  /** Keeps the original size: one new node in (and promoted), then one original out. */
  private void replaceStep(NodeId leader, Membership current) {
    List<NodeId> old = new ArrayList<>(current.allMembers());
    old.retainAll(originals);
    if (old.isEmpty() || !current.learners().isEmpty()) {
      return; // done, or a learner still waits for its promotion
    }
    if (current.voters().size() <= originals.size()) {
      add(world, leader, current);
    } else {
      world.proposeMembership(leader, current.without(pick(old)));
    }
  }

  /**
   * Starts a new node that knows the configuration adding it, and proposes that configuration to
   * {@code leader}; retires the node if the leader refuses.
   *
   * @return the new node's id, or empty if the change was refused
   */
  static Optional<NodeId> add(World world, NodeId leader, Membership current) {
    NodeId id = world.nextNodeId();
    Membership target = current.withLearner(id, World.addressOf(id));
    world.addNode(target);
    ProposeResult result = world.proposeMembership(leader, target);
    if (result instanceof ProposeResult.Accepted) {
      return Optional.of(id);
    }
    world.retire(id);
    return Optional.empty();
  }

  private NodeId pick(List<NodeId> ids) {
    return ids.get(random.nextInt(ids.size()));
  }
}
