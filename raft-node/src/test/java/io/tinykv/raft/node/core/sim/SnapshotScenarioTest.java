package io.tinykv.raft.node.core.sim;

import static io.tinykv.raft.node.core.sim.Scripted.BOUND;
import static io.tinykv.raft.node.core.sim.Scripted.awaitApplied;
import static io.tinykv.raft.node.core.sim.Scripted.awaitLeader;
import static io.tinykv.raft.node.core.sim.Scripted.commit;
import static io.tinykv.raft.node.core.sim.Scripted.others;
import static io.tinykv.raft.node.core.sim.Scripted.propose;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Log compaction and snapshot transfer (Raft paper, section 7): nodes snapshot their state machine
 * and drop the log before it; a follower that needs compacted entries receives the leader's
 * snapshot instead, through the same lossy network as everything else, and a restart loads the
 * snapshot.
 */
class SnapshotScenarioTest {

  /** Section 7: a follower that was down while the leader compacted catches up by snapshot. */
  @Test
  void followerThatWasDownCatchesUpBySnapshot(TestInfo test) {
    World world = Scripted.world(3, test).snapshots(10, 0).build();
    NodeId leader = awaitLeader(world);
    commit(world, leader, world.ids(), "before");
    NodeId lagging = others(world, leader).get(0);
    world.crash(lagging);
    ProposeResult.Accepted last = null;
    for (int i = 0; i < 40; i++) {
      last = propose(world, leader, "while-down-" + i);
    }
    awaitApplied(world, others(world, lagging), last);
    assertThat(world.node(leader).disk().log().firstIndex()).isGreaterThan(2);

    world.restart(lagging);
    awaitApplied(world, world.ids(), last);
    assertThat(world.snapshotsInstalled()).isPositive();
    SimNode n = world.node(lagging);
    assertThat(n.disk().snapshot()).isNotNull();
    assertThat(n.disk().log().firstIndex()).isGreaterThan(2);
    commit(world, leader, world.ids(), "after");
    world.checkConverged();
  }

  /**
   * Section 7 under loss, duplication and reordering: the first snapshot messages are lost, so the
   * leader's transfers time out and are retried until one arrives.
   */
  @Test
  void snapshotInstallSurvivesMessageLoss(TestInfo test) {
    World world =
        Scripted.world(5, test)
            .snapshots(10, 3)
            .network(new Network.Conditions(1, 15, 0.2, 0.1, 0.2))
            .build();
    NodeId leader = awaitLeader(world);
    NodeId lagging = others(world, leader).get(1);
    world.isolate(lagging);
    for (int i = 0; i < 60; i++) {
      propose(world, world.leader().orElse(leader), "while-cut-" + i);
      world.runFor(1);
    }
    world.await(
        "compaction on every connected node",
        () ->
            others(world, lagging).stream()
                .allMatch(id -> world.node(id).disk().log().firstIndex() > 20),
        BOUND);
    AtomicInteger dropped = new AtomicInteger();
    world
        .network()
        .setDropFilter(m -> m instanceof InstallSnapshot && dropped.getAndIncrement() < 3);
    world.heal();
    NodeId current = awaitLeader(world);
    ProposeResult.Accepted after = commit(world, current, others(world, lagging), "after-heal");
    awaitApplied(world, world.ids(), after);
    assertThat(dropped.get()).as("snapshot messages sent").isGreaterThan(3);
    assertThat(world.node(lagging).disk().snapshot()).isNotNull();
    world.checkConverged();
  }

  /** A restarted node loads its snapshot, then replays only the log after it. */
  @Test
  void restartLoadsTheSnapshot(TestInfo test) {
    World world = Scripted.world(3, test).snapshots(7, 2).build();
    NodeId leader = awaitLeader(world);
    for (int i = 0; i < 30; i++) {
      commit(world, leader, world.ids(), "c" + i);
    }
    for (NodeId id : world.ids()) {
      world.crash(id);
    }
    for (NodeId id : world.ids()) {
      SimNode n = world.node(id);
      assertThat(n.disk().snapshot()).as("snapshot of %s", id).isNotNull();
      world.restart(id);
      assertThat(n.applied()).hasSize((int) n.disk().snapshot().index());
    }
    NodeId next = awaitLeader(world);
    commit(world, next, world.ids(), "after-restart");
    world.checkConverged();
    assertThat(world.node(next).applied()).hasSizeGreaterThan(30);
  }
}
