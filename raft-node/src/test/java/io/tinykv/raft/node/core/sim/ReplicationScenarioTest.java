package io.tinykv.raft.node.core.sim;

import static io.tinykv.raft.node.core.sim.Scripted.BOUND;
import static io.tinykv.raft.node.core.sim.Scripted.awaitApplied;
import static io.tinykv.raft.node.core.sim.Scripted.awaitLeader;
import static io.tinykv.raft.node.core.sim.Scripted.commit;
import static io.tinykv.raft.node.core.sim.Scripted.log;
import static io.tinykv.raft.node.core.sim.Scripted.others;
import static io.tinykv.raft.node.core.sim.Scripted.propose;
import static io.tinykv.raft.node.core.sim.Scripted.terms;
import static io.tinykv.raft.node.core.sim.World.ELECTION_TICKS;
import static io.tinykv.raft.node.core.sim.World.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.storage.HardState;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Log replication and commitment (Raft paper, sections 5.3 and 5.4). */
class ReplicationScenarioTest {

  /**
   * Section 5.3: an entry is committed once the leader has replicated it on a majority. A leader
   * cut off with a minority keeps accepting proposals but can never commit them, while the majority
   * elects a new leader and keeps committing.
   */
  @Test
  void minorityNeverCommits(TestInfo test) {
    // Without check-quorum the cut-off leader keeps believing it leads, which is the hard case.
    World world = Scripted.world(5, test).config(c -> c.checkQuorum(false)).build();
    NodeId oldLeader = awaitLeader(world);
    ProposeResult.Accepted before = commit(world, oldLeader, world.ids(), "before");
    NodeId minorityFollower = others(world, oldLeader).get(0);
    List<NodeId> minority = List.of(oldLeader, minorityFollower);
    List<NodeId> majority = others(world, oldLeader, minorityFollower);

    world.network().split(minority);
    world.traceLinks("SPLIT");
    for (int i = 1; i <= 3; i++) {
      propose(world, oldLeader, "minority-" + i);
    }
    world.await(
        "leader in the majority",
        () -> world.leader().filter(majority::contains).isPresent(),
        BOUND);
    NodeId newLeader = world.leader().orElseThrow();
    commit(world, newLeader, majority, "majority");
    world.runFor(5 * ELECTION_TICKS);

    for (NodeId id : minority) {
      assertThat(world.node(id).raw().status().commitIndex())
          .as("commit index of %s", id)
          .isEqualTo(before.index());
    }
    assertThat(Scripted.appliedPayloads(world)).noneMatch(p -> p.startsWith("minority-"));
  }

  /**
   * Sections 5.3 and 5.4.1: a leader partitioned away with uncommitted entries rejoins; it steps
   * down on seeing the newer term, and its conflicting entries are replaced by the new leader's.
   */
  @Test
  void partitionedLeaderRejoinsStepsDownAndLosesItsUncommittedEntries(TestInfo test) {
    World world = Scripted.world(5, test).config(c -> c.checkQuorum(false)).build();
    NodeId oldLeader = awaitLeader(world);
    commit(world, oldLeader, world.ids(), "committed");
    world.isolate(oldLeader);
    ProposeResult.Accepted stale = propose(world, oldLeader, "stale-1");
    propose(world, oldLeader, "stale-2");

    List<NodeId> rest = others(world, oldLeader);
    world.await("new leader", () -> world.leader().filter(rest::contains).isPresent(), BOUND);
    NodeId newLeader = world.leader().orElseThrow();
    for (int i = 1; i <= 3; i++) {
      commit(world, newLeader, rest, "new-" + i);
    }
    assertThat(world.node(oldLeader).raw().role()).isEqualTo(Role.LEADER);

    world.heal();
    ProposeResult.Accepted after = commit(world, newLeader, world.ids(), "after-heal");

    SimNode old = world.node(oldLeader);
    assertThat(old.raw().role()).isEqualTo(Role.FOLLOWER);
    assertThat(old.raw().leader()).contains(newLeader);
    assertThat(old.emitted().term(stale.index())).isNotEqualTo(stale.term());
    int upToAfter = (int) after.index();
    assertThat(old.applied().subList(0, upToAfter))
        .isEqualTo(world.node(newLeader).applied().subList(0, upToAfter));
    assertThat(Scripted.appliedPayloads(world)).noneMatch(p -> p.startsWith("stale-"));
  }

  /**
   * Section 5.3, last paragraphs: followers with long divergent uncommitted suffixes are brought in
   * line with about one rejection per conflicting term, not one per entry, because rejections carry
   * a hint (the follower's term at the conflict and where that term starts).
   */
  @Test
  void conflictingLogsBackUpByTermNotByEntry(TestInfo test) {
    long[] prefix = terms(new long[0], 5, 1);
    World world =
        Scripted.world(5, test)
            .durable(1, new HardState(6, Optional.empty()), log(terms(prefix, 20, 6)))
            .durable(2, new HardState(2, Optional.empty()), log(terms(prefix, 100, 2)))
            .durable(3, new HardState(4, Optional.empty()), log(terms(terms(prefix, 50, 3), 50, 4)))
            .durable(4, new HardState(5, Optional.empty()), log(terms(prefix, 80, 5)))
            .durable(5, new HardState(1, Optional.empty()), log(prefix))
            .build();
    NodeId leader = id(1);
    // n1 holds the most up-to-date log; it campaigns before anyone's election timeout.
    world.campaign(leader);
    world.await("n1 elected", () -> world.leader().equals(Optional.of(leader)), BOUND);

    ProposeResult.Accepted probe = commit(world, leader, world.ids(), "converged");

    List<LogEntry> expected = world.node(leader).applied();
    for (SimNode n : world.nodes()) {
      assertThat(n.applied()).as("log applied by %s", n.id()).isEqualTo(expected);
    }
    assertThat(expected).hasSize((int) probe.index());
    // Four followers, at most two conflicting terms each: naive back-up would need ~300.
    assertThat(world.appendRejections()).as("AppendEntries rejections").isLessThanOrEqualTo(12);
  }

  /**
   * Section 5.4.2 and Figure 8, case (d): an entry from an earlier term that is stored on a
   * majority is still not committed by a later leader until an entry of its own term is; it can
   * indeed be overwritten.
   *
   * <p>The state of Figure 8(c) (n1..n5 are S1..S5): S1 leads term 4 and has replicated 2@2 to S2
   * and S3, but its term-4 entry reaches no one. Then S1 crashes and S5, holding 2@3, wins and
   * overwrites 2@2 everywhere.
   */
  @Test
  void figure8EntryFromEarlierTermOnMajorityIsNotCommittedAndCanBeOverwritten(TestInfo test) {
    World world = figure8World(test);
    NodeId s1 = id(1);
    NodeId s2 = id(2);
    NodeId s5 = id(5);
    replicateTerm2EntryButNotTerm4Entry(world);

    world.crash(s1);
    world.isolate(s2); // otherwise S2 or S3 (holding 2@2) could win too: we want case (d)
    world.restart(s5);
    world.await("S5 elected", () -> world.leader().equals(Optional.of(s5)), BOUND);
    world.heal();
    world.restart(s1);
    ProposeResult.Accepted next = commit(world, s5, world.ids(), "next");

    for (SimNode n : world.nodes()) {
      assertThat(n.applied().get(1).term())
          .as("term of entry 2 applied by %s", n.id())
          .isEqualTo(3);
    }
    assertThat(next.index()).isGreaterThan(2);
  }

  /**
   * Section 5.4.2 and Figure 8, case (e): once the leader of term 4 gets an entry of its own term
   * onto a majority, 2@2 is committed with it, and S5 (whose log ends in 2@3) can never win.
   */
  @Test
  void figure8EntryCommittedWithCurrentTermEntrySurvives(TestInfo test) {
    World world = figure8World(test);
    NodeId s1 = id(1);
    NodeId s5 = id(5);
    replicateTerm2EntryButNotTerm4Entry(world);

    world.network().setDropFilter(null);
    world.await(
        "2@2 committed on S1 once 3@4 reaches a majority",
        () -> world.node(s1).raw().status().commitIndex() >= 3,
        BOUND);
    world.crash(s1);
    world.heal();
    world.restart(s5);
    world.await("new leader", () -> world.leader().filter(l -> !l.equals(s1)).isPresent(), BOUND);
    NodeId leader = world.leader().orElseThrow();
    world.restart(s1);
    commit(world, leader, world.ids(), "next");

    assertThat(world.safety().leadersByTerm()).doesNotContainValue(s5);
    for (SimNode n : world.nodes()) {
      assertThat(n.applied().get(1).term())
          .as("term of entry 2 applied by %s", n.id())
          .isEqualTo(2);
    }
  }

  /** Figure 8(b) just before (c): S1 and S5 down with different entries at index 2. */
  private static World figure8World(TestInfo test) {
    World world =
        Scripted.world(5, test)
            // One entry per AppendEntries, so 2@2 and 3@4 travel separately.
            .config(c -> c.maxEntriesPerAppend(1))
            .durable(1, new HardState(3, Optional.empty()), log(1, 2))
            .durable(2, new HardState(3, Optional.of(id(5))), log(1))
            .durable(3, new HardState(3, Optional.of(id(5))), log(1))
            .durable(4, new HardState(3, Optional.of(id(5))), log(1))
            .durable(5, new HardState(3, Optional.of(id(5))), log(1, 3))
            .build();
    world.crash(id(5));
    return world;
  }

  /** Figure 8(c): S1 leads term 4 and has 2@2 on S1, S2, S3; its 3@4 reaches no one. */
  private static void replicateTerm2EntryButNotTerm4Entry(World world) {
    NodeId s1 = id(1);
    world.network().cutOneWay(s1, id(4));
    world.network().cutOneWay(id(4), s1);
    // Drop term-4 entries to a follower that already holds index 2, so the follower still
    // rejects the first probe and S1 backs up to send 2@2 on its own.
    world
        .network()
        .setDropFilter(
            m ->
                m instanceof AppendEntries a
                    && a.entries().stream().anyMatch(e -> e.term() == 4)
                    && world.node(a.to()).emitted().lastIndex() >= 2);
    world.campaign(s1);
    world.await("S1 elected in term 4", () -> world.leader().equals(Optional.of(s1)), BOUND);
    assertThat(world.node(s1).raw().term()).isEqualTo(4);
    world.await(
        "S1 knows S2 and S3 hold 2@2",
        () ->
            world.node(s1).raw().status().progress().get(id(2)).match() >= 2
                && world.node(s1).raw().status().progress().get(id(3)).match() >= 2,
        BOUND);
    world.runFor(3 * ELECTION_TICKS);

    assertThat(world.node(s1).raw().role()).isEqualTo(Role.LEADER);
    for (int i = 1; i <= 3; i++) {
      SimNode n = world.node(id(i));
      assertThat(n.disk().log().term(2)).as("durable term of entry 2 on S%s", i).isEqualTo(2);
      assertThat(n.raw().status().commitIndex()).as("commit index of S%s", i).isLessThan(2);
    }
  }

  /**
   * Sections 5.3 and 5.5: through loss, duplication, reordering and changing partitions, every
   * acknowledged proposal ends up applied on every node, and the logs converge once healed.
   */
  @Test
  void unreliableNetworkChurnLosesNoAcknowledgedWrite(TestInfo test) {
    World world =
        Scripted.world(5, test).network(new Network.Conditions(1, 30, 0.2, 0.1, 0.3)).build();
    Random random = new Random(7);
    long payload = 0;
    for (int round = 0; round < 30; round++) {
      if (random.nextInt(3) == 0) {
        world.heal();
      } else {
        world.isolate(world.ids().get(random.nextInt(world.ids().size())));
      }
      for (int tick = 0; tick < 10; tick++) {
        Optional<NodeId> leader = world.leader();
        if (leader.isPresent()) {
          world.propose(leader.get(), "w" + ++payload);
        }
        world.runFor(1);
      }
    }
    SimulationRun.checkLiveness(world);

    assertThat(world.acknowledgedCount()).isGreaterThan(10);
    for (LogEntry acked : world.safety().acknowledged().values()) {
      awaitApplied(world, world.ids(), new ProposeResult.Accepted(acked.index(), acked.term()));
    }
  }
}
