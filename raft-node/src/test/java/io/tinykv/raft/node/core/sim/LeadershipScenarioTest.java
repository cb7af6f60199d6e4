package io.tinykv.raft.node.core.sim;

import static io.tinykv.raft.node.core.sim.Scripted.BOUND;
import static io.tinykv.raft.node.core.sim.Scripted.awaitLeader;
import static io.tinykv.raft.node.core.sim.Scripted.commit;
import static io.tinykv.raft.node.core.sim.Scripted.others;
import static io.tinykv.raft.node.core.sim.World.ELECTION_TICKS;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.NodeId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Keeping and handing over leadership, and reads: check-quorum (dissertation, section 6.2),
 * leadership transfer (section 3.10) and ReadIndex (section 6.4).
 */
class LeadershipScenarioTest {

  /**
   * Dissertation 6.2: a leader that stops hearing from a majority steps down within about two
   * election timeouts, and then refuses proposals instead of accepting writes it cannot commit.
   */
  @Test
  void isolatedLeaderStepsDownAndRejectsProposals(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");

    world.isolate(leader);
    world.await(
        "isolated leader stepping down",
        () -> world.node(leader).raw().role() != Role.LEADER,
        2 * 2 * ELECTION_TICKS);

    ProposeResult result = world.propose(leader, "refused");
    assertThat(result).isInstanceOf(ProposeResult.Rejected.class);
    assertThat(((ProposeResult.Rejected) result).reason()).isEqualTo(RejectReason.NOT_LEADER);

    List<NodeId> rest = others(world, leader);
    world.await("new leader", () -> world.leader().filter(rest::contains).isPresent(), BOUND);
    world.heal();
    commit(world, world.leader().orElseThrow(), world.ids(), "after");
  }

  /**
   * Dissertation 3.10: the leader brings the target up to date and tells it to campaign at once; it
   * refuses proposals meanwhile, and the target leads the next term.
   */
  @Test
  void transferLeadershipMovesLeadershipToTheTarget(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId leader = awaitLeader(world);
    NodeId target = others(world, leader).get(1);
    // Let the target fall behind, so the transfer has to catch it up first.
    world.isolate(target);
    for (int i = 1; i <= 5; i++) {
      commit(world, leader, others(world, target), "behind-" + i);
    }
    world.heal();
    long term = world.node(leader).raw().term();

    assertThat(world.transferLeadership(leader, target)).isEmpty();
    ProposeResult during = world.propose(leader, "during-transfer");
    assertThat(during).isInstanceOf(ProposeResult.Rejected.class);

    world.await(
        "target leading", () -> world.leader().equals(Optional.of(target)), 2 * ELECTION_TICKS);
    assertThat(world.node(target).raw().term()).isGreaterThan(term);
    assertThat(world.node(leader).raw().role()).isEqualTo(Role.FOLLOWER);
    commit(world, target, world.ids(), "after-transfer");
  }

  /**
   * Dissertation 6.4: a read index, on the leader or through a follower, covers every write
   * acknowledged before the read was issued.
   */
  @Test
  void readIndexCoversEveryAcknowledgedWrite(TestInfo test) {
    World world = Scripted.world(3, test).build();
    NodeId leader = awaitLeader(world);
    ProposeResult.Accepted last = null;
    for (int i = 1; i <= 3; i++) {
      last = commit(world, leader, List.of(leader), "w" + i);
    }
    NodeId follower = others(world, leader).get(0);

    long onLeader = world.readIndex(leader);
    long onFollower = world.readIndex(follower);
    world.await(
        "both reads served",
        () -> world.servedRead(onLeader).isPresent() && world.servedRead(onFollower).isPresent(),
        BOUND);

    assertThat(world.servedRead(onLeader).orElseThrow().index())
        .isGreaterThanOrEqualTo(last.index());
    assertThat(world.servedRead(onFollower).orElseThrow().index())
        .isGreaterThanOrEqualTo(last.index());
  }

  /**
   * Dissertation 6.4: a deposed leader that does not know it yet must not serve a read, because the
   * new leader may have committed writes it has not seen. It needs a heartbeat round with a
   * majority first, which it cannot get.
   */
  @Test
  void deposedLeaderDoesNotServeReads(TestInfo test) {
    // Without check-quorum the old leader keeps believing it leads.
    World world = Scripted.world(5, test).config(c -> c.checkQuorum(false)).build();
    NodeId oldLeader = awaitLeader(world);
    commit(world, oldLeader, world.ids(), "before");
    world.isolate(oldLeader);
    List<NodeId> rest = others(world, oldLeader);
    world.await("new leader", () -> world.leader().filter(rest::contains).isPresent(), BOUND);
    commit(world, world.leader().orElseThrow(), rest, "newer");

    long read = world.readIndex(oldLeader);
    world.runFor(5 * ELECTION_TICKS);

    assertThat(world.node(oldLeader).raw().role()).isEqualTo(Role.LEADER);
    assertThat(world.servedRead(read)).isEmpty();
  }
}
