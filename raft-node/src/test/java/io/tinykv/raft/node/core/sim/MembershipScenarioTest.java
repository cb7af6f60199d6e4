package io.tinykv.raft.node.core.sim;

import static io.tinykv.raft.node.core.sim.Scripted.BOUND;
import static io.tinykv.raft.node.core.sim.Scripted.addNode;
import static io.tinykv.raft.node.core.sim.Scripted.awaitLeader;
import static io.tinykv.raft.node.core.sim.Scripted.awaitSettled;
import static io.tinykv.raft.node.core.sim.Scripted.change;
import static io.tinykv.raft.node.core.sim.Scripted.commit;
import static io.tinykv.raft.node.core.sim.Scripted.others;
import static io.tinykv.raft.node.core.sim.World.ELECTION_TICKS;
import static io.tinykv.raft.node.core.sim.World.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Cluster membership changes (Raft paper, section 6; dissertation, chapter 4): joint consensus for
 * voter changes, new nodes joining as learners and promoted once caught up, removed members that
 * keep running without disturbing anyone. Every world checks the safety properties and the
 * configuration invariants after each event.
 */
class MembershipScenarioTest {

  /** Dissertation 4.2.1: new servers join as learners, catch up, and only then become voters. */
  @Test
  void growsFromThreeToFive(TestInfo test) {
    World world = Scripted.world(3, test).snapshots(10, 2).build();
    NodeId leader = awaitLeader(world);
    for (int i = 0; i < 25; i++) {
      commit(world, leader, world.ids(), "before-" + i);
    }
    NodeId n4 = addNode(world, leader);
    assertThat(world.node(leader).logConfig().learners()).containsExactly(n4);
    Membership withN4 = awaitSettled(world);
    assertThat(withN4.voters()).contains(n4);
    leader = world.leader().orElseThrow();
    NodeId n5 = addNode(world, leader);
    Membership five = awaitSettled(world);
    assertThat(five.voters()).containsExactlyInAnyOrder(id(1), id(2), id(3), n4, n5);
    assertThat(five.learners()).isEmpty();

    leader = world.leader().orElseThrow();
    commit(world, leader, five.voters(), "after");
    for (NodeId member : five.voters()) {
      assertThat(world.node(member).raw().status().membership()).isEqualTo(five);
    }
    world.checkConverged(five.voters());
  }

  /** Section 6: removing voters goes through C_old,new; the removed nodes keep running. */
  @Test
  void shrinksFromFiveToThree(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "five");
    List<NodeId> removed = others(world, leader).subList(0, 2);
    for (NodeId victim : removed) {
      leader = world.leader().orElseThrow();
      Membership current = world.node(leader).logConfig();
      change(world, leader, current.without(victim));
      assertThat(world.node(leader).logConfig().isJoint()).isTrue();
      awaitSettled(world);
    }
    Membership three = awaitSettled(world);
    assertThat(three.voters()).hasSize(3).doesNotContainAnyElementsOf(removed);
    leader = world.leader().orElseThrow();
    commit(world, leader, three.voters(), "three");
    // With two of five gone, a majority is two of the three that are left.
    world.crash(others(world, leader).stream().filter(three::isVoter).findFirst().orElseThrow());
    commit(world, leader, List.of(leader), "two-of-three");
    for (NodeId gone : removed) {
      assertThat(world.node(gone).isUp()).isTrue();
      assertThat(world.node(gone).raw().role()).isNotEqualTo(Role.LEADER);
    }
  }

  /**
   * Section 6: a leader that is not part of C_new steps down once C_new is committed, after handing
   * leadership to a voter of C_new; the rest elect a leader among themselves.
   */
  @Test
  void removesTheLeader(TestInfo test) {
    World world = Scripted.world(3, test).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");
    change(world, leader, world.node(leader).logConfig().without(leader));
    NodeId removed = leader;
    world.await(
        "a leader other than the removed one",
        () -> world.leader().filter(l -> !l.equals(removed)).isPresent(),
        BOUND);
    Membership two = awaitSettled(world);
    assertThat(two.voters()).hasSize(2).doesNotContain(removed);
    NodeId next = world.leader().orElseThrow();
    commit(world, next, two.voters(), "after");
    world.runFor(20 * ELECTION_TICKS);
    assertThat(world.leader()).contains(next);
    assertThat(world.node(removed).raw().role()).isNotEqualTo(Role.LEADER);
  }

  /** Every original member is replaced, one at a time, while proposals keep committing. */
  @Test
  void replacesEveryMember(TestInfo test) {
    World world = Scripted.world(3, test).snapshots(8, 3).build();
    List<NodeId> originals = new ArrayList<>(world.ids());
    List<NodeId> added = new ArrayList<>();
    int round = 0;
    for (NodeId original : originals) {
      NodeId leader = awaitLeader(world);
      commit(world, leader, world.members(), "round-" + round++);
      added.add(addNode(world, leader));
      awaitSettled(world);
      leader = awaitLeader(world);
      change(world, leader, world.node(leader).logConfig().without(original));
      awaitSettled(world);
    }
    NodeId leader = awaitLeader(world);
    Membership last = world.node(leader).logConfig();
    assertThat(last.voters()).containsExactlyInAnyOrderElementsOf(added);
    commit(world, leader, added, "replaced");
    world.checkConverged(added);
  }

  /**
   * Dissertation 4.2.1: a learner that cannot catch up (cut off here) is never promoted, so the
   * cluster's availability does not depend on it; once reachable it catches up and is promoted.
   */
  @Test
  void learnerThatCannotCatchUpStaysALearner(TestInfo test) {
    World world = Scripted.world(3, test).config(c -> c.learnerCatchUpEntries(5)).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");
    NodeId learner = world.nextNodeId();
    Membership target =
        world.node(leader).logConfig().withLearner(learner, World.addressOf(learner));
    world.addNode(target);
    world.isolate(learner);
    change(world, leader, target);
    for (int i = 0; i < 20; i++) {
      commit(world, leader, others(world, learner), "while-cut-" + i);
      world.runFor(ELECTION_TICKS);
    }
    Membership now = world.node(world.leader().orElseThrow()).logConfig();
    assertThat(now.learners()).containsExactly(learner);
    assertThat(now.voters()).doesNotContain(learner);

    world.heal();
    Membership promoted = awaitSettled(world);
    assertThat(promoted.voters()).contains(learner);
    commit(world, world.leader().orElseThrow(), promoted.voters(), "after");
  }

  /** Section 6: one change at a time; a second one while the first is pending is refused. */
  @Test
  void secondChangeWhileOneIsPendingIsRejected(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");
    Membership current = world.node(leader).logConfig();
    NodeId first = others(world, leader).get(0);
    NodeId second = others(world, leader).get(1);
    change(world, leader, current.without(first));
    ProposeResult refused = world.proposeMembership(leader, current.without(second));
    assertThat(refused)
        .isEqualTo(
            new ProposeResult.Rejected(
                RejectReason.MEMBERSHIP_CHANGE_IN_PROGRESS, java.util.Optional.of(leader)));
    Membership after = awaitSettled(world);
    assertThat(after.voters()).doesNotContain(first).contains(second);
    // Once the first change is done, the next is accepted.
    leader = world.leader().orElseThrow();
    change(world, leader, after.without(second));
    assertThat(awaitSettled(world).voters()).hasSize(3);
  }

  /**
   * Dissertation 4.2.3: a removed server that never learnt of its removal times out and campaigns
   * in ever higher terms; the members ignore it (it is not in their configuration), so the leader
   * and its term stay.
   */
  @Test
  void removedNodeDoesNotDisruptTheCluster(TestInfo test) {
    World world = Scripted.world(3, test).config(c -> c.preVote(false).checkQuorum(false)).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");
    NodeId removed = others(world, leader).get(0);
    world.isolate(removed);
    change(world, leader, world.node(leader).logConfig().without(removed));
    Membership two = awaitSettled(world);
    assertThat(two.isMember(removed)).isFalse();
    long term = world.node(leader).raw().term();

    world.heal();
    world.runFor(30 * ELECTION_TICKS);
    assertThat(world.node(removed).raw().term())
        .as("the removed node campaigned in ever higher terms")
        .isGreaterThan(term + 3);
    assertThat(world.leader()).contains(leader);
    assertThat(world.node(leader).raw().term()).isEqualTo(term);
    commit(world, leader, two.voters(), "after");
    Set<NodeId> members = new TreeSet<>(two.voters());
    world.checkConverged(members);
  }
}
