package io.tinykv.raft.node.core.sim;

import static io.tinykv.raft.node.core.sim.Scripted.BOUND;
import static io.tinykv.raft.node.core.sim.Scripted.awaitLeader;
import static io.tinykv.raft.node.core.sim.Scripted.commit;
import static io.tinykv.raft.node.core.sim.Scripted.others;
import static io.tinykv.raft.node.core.sim.World.ELECTION_TICKS;
import static io.tinykv.raft.node.core.sim.World.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Leader election (Raft paper, section 5.2; dissertation, section 9.6 for pre-vote). */
class ElectionScenarioTest {

  /** Section 5.2: from a cold start one leader emerges and every other node follows it. */
  @ParameterizedTest
  @ValueSource(ints = {3, 5, 7})
  void initialElectionElectsOneLeaderThatEveryoneFollows(int nodes, TestInfo test) {
    World world = Scripted.world(nodes, test).build();

    NodeId leader = awaitLeader(world);
    world.runFor(5 * World.HEARTBEAT_TICKS);

    long term = world.node(leader).raw().term();
    for (NodeId id : others(world, leader)) {
      SimNode follower = world.node(id);
      assertThat(follower.raw().role()).as("role of %s", id).isEqualTo(Role.FOLLOWER);
      assertThat(follower.raw().term()).as("term of %s", id).isEqualTo(term);
      assertThat(follower.raw().leader()).as("leader known to %s", id).contains(leader);
    }
    assertThat(world.leader()).contains(leader);
  }

  /** Section 5.2: when the leader fails, the others elect a new one in a later term. */
  @Test
  void reelectsAfterLeaderCrash(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId first = awaitLeader(world);
    commit(world, first, world.ids(), "before");
    long firstTerm = world.node(first).raw().term();

    world.crash(first);
    world.await(
        "new leader",
        () -> world.leader().filter(l -> !l.equals(first)).isPresent(),
        4 * ELECTION_TICKS);

    NodeId second = world.leader().orElseThrow();
    assertThat(world.node(second).raw().term()).isGreaterThan(firstTerm);
    commit(world, second, others(world, first), "after");

    world.restart(first);
    world.await(
        "old leader following the new one",
        () -> world.node(first).raw().leader().equals(Optional.of(second)),
        BOUND);
    assertThat(world.node(first).raw().role()).isEqualTo(Role.FOLLOWER);
  }

  /**
   * Figure 2, persistent state: currentTerm and votedFor survive a restart, so a voter that granted
   * its vote in a term and then restarted does not vote for another candidate in it.
   */
  @Test
  void voteSurvivesRestart(TestInfo test) {
    World world = Scripted.world(3, test).build();
    NodeId n1 = id(1);
    NodeId n2 = id(2);
    NodeId n3 = id(3);
    world.isolate(n2);
    world.campaign(n1);
    world.await("n1 elected by n3", () -> world.leader().equals(Optional.of(n1)), BOUND);
    long term = world.node(n1).raw().term();
    assertThat(world.node(n3).disk().hardState().votedFor()).contains(n1);
    assertThat(world.node(n3).disk().hardState().term()).isEqualTo(term);

    world.crash(n3);
    world.restart(n3);
    assertThat(world.node(n3).raw().term()).isEqualTo(term);
    assertThat(world.node(n3).raw().status().votedFor()).contains(n1);

    List<RequestVoteResponse> answers = new ArrayList<>();
    world.network().addTap(m -> collectVoteAnswer(m, n3, answers));
    // n2 claims a log far ahead of anyone's: only n3's remembered vote can refuse it.
    world.inject(new RequestVote(n2, n3, term, 100, term, false, false));
    world.runFor(2);

    assertThat(answers).noneMatch(RequestVoteResponse::granted);
    assertThat(world.node(n3).raw().status().votedFor()).contains(n1);
  }

  private static void collectVoteAnswer(
      RaftMessage m, NodeId from, List<RequestVoteResponse> answers) {
    if (m instanceof RequestVoteResponse r && r.from().equals(from) && !r.preVote()) {
      answers.add(r);
    }
  }

  /**
   * Dissertation, section 9.6: with pre-vote, a partitioned node keeps failing pre-votes instead of
   * raising its term, so when it rejoins it neither bumps the cluster's term nor unseats the
   * leader.
   */
  @Test
  void preVoteStopsARejoiningNodeFromDisruptingTheLeader(TestInfo test) {
    World world = Scripted.world(5, test).build();
    NodeId leader = awaitLeader(world);
    long term = world.node(leader).raw().term();
    NodeId loner = others(world, leader).get(0);

    world.isolate(loner);
    world.runFor(8 * ELECTION_TICKS);
    assertThat(world.node(loner).raw().term()).as("term of the isolated node").isEqualTo(term);

    world.heal();
    world.runFor(4 * ELECTION_TICKS);
    assertThat(world.leader()).contains(leader);
    for (SimNode n : world.nodes()) {
      assertThat(n.raw().term()).as("term of %s", n.id()).isEqualTo(term);
    }
    assertThat(world.safety().leadersByTerm()).containsOnlyKeys(term);
  }
}
