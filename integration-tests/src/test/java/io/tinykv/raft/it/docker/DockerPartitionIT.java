package io.tinykv.raft.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.it.linearizability.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The partition suite: TinyKV nodes in containers under network partitions, pauses and kills, with
 * concurrent clients whose history must be linearizable and lose no acknowledged write (see {@link
 * Scenario} for the checks every run ends with, and the seed each one prints).
 *
 * <p>Bounds stated here: after a fault that leaves a connected majority, that majority elects a
 * leader and accepts a write within {@link Scenario#AVAILABILITY_BOUND}; a leader cut off from its
 * majority stops being leader within {@link #STEP_DOWN_BOUND}.
 */
class DockerPartitionIT {

  /** Check-quorum steps a cut-off leader down after one election timeout (at most 300 ms). */
  private static final Duration STEP_DOWN_BOUND = Duration.ofSeconds(10);

  @RegisterExtension final DockerCluster cluster = new DockerCluster();

  /**
   * Scenario 1: the leader of three is cut off from its peers (by firewall, so clients still reach
   * it): the other two elect a new leader, the old one steps down, and nothing sent to it while cut
   * off is acknowledged or read. Then the next leader is disconnected from the network altogether;
   * after each, the cluster heals.
   */
  @Test
  void leaderIsolatedThenHealed(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 3, 4);
    s.hold(Duration.ofSeconds(2));

    DockerNode old = cluster.awaitLeader(s.nodes());
    s.nemesis().isolateByFirewall(old);
    long cut = s.history().now();
    DockerNode next = cluster.awaitLeader(s.except(old), Scenario.AVAILABILITY_BOUND);
    assertThat(next).isNotEqualTo(old);
    s.assertWritable(s.except(old), "with the old leader cut off");
    await(old + " steps down")
        .atMost(STEP_DOWN_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> !"leader".equals(old.status().get("role")));
    s.nemesis().note(old + " is no longer leader");
    s.hold(Duration.ofSeconds(3));
    long healed = s.history().now();
    s.nemesis().healAll();
    List<Operation> servedWhileCut =
        s.operationsThrough(old, cut, healed).stream()
            .filter(op -> op.outcome() == Operation.Outcome.OK)
            .toList();
    assertThat(servedWhileCut)
        .as("seed %d: operations the cut-off old leader %s answered with success", s.seed(), old)
        .isEmpty();

    s.assertWritable(s.nodes(), "after the first heal");
    DockerNode second = cluster.awaitLeader(s.nodes());
    s.nemesis().isolate(second);
    cluster.awaitLeader(s.except(second), Scenario.AVAILABILITY_BOUND);
    s.assertWritable(s.except(second), "with the leader disconnected");
    s.hold(Duration.ofSeconds(3));
    s.finish();
  }

  /** Scenario 2: five nodes split 3/2, the leader alternately in the minority and the majority. */
  @Test
  void majorityMinoritySplits(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 5, 5);
    s.hold(Duration.ofSeconds(1));
    for (int round = 0; round < 4; round++) {
      DockerNode leader = cluster.awaitLeader(s.nodes());
      List<DockerNode> majority = s.nemesis().splitMajorityMinority(leader, round % 2 == 1);
      cluster.awaitLeader(majority, Scenario.AVAILABILITY_BOUND);
      s.assertWritable(majority, "in the majority " + majority);
      s.holdRandomly(2_000, 4_000);
      s.nemesis().healAll();
      s.holdRandomly(500, 1_500);
    }
    s.finish();
  }

  /**
   * Scenario 3: a bridge (two halves of two nodes that share the fifth) and a ring (each node sees
   * only its two neighbours). In both, a leader that reaches a majority keeps it (check-quorum),
   * and pre-vote keeps the nodes that do not hear it from deposing it: writes stay available.
   */
  @Test
  void bridgeAndRing(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 5, 5);
    s.hold(Duration.ofSeconds(1));
    for (int round = 0; round < 2; round++) {
      cluster.awaitLeader(s.nodes());
      s.nemesis().bridge(s.nemesis().shuffled());
      s.assertWritable(s.nodes(), "across the bridge");
      s.holdRandomly(3_000, 5_000);
      s.nemesis().healAll();
      s.holdRandomly(500, 1_500);

      cluster.awaitLeader(s.nodes());
      s.nemesis().ring(s.nemesis().shuffled());
      s.assertWritable(s.nodes(), "in the ring");
      s.holdRandomly(3_000, 5_000);
      s.nemesis().healAll();
      s.holdRandomly(500, 1_500);
    }
    s.finish();
  }

  /**
   * Scenario 4: the leader is paused (docker pause) for several election timeouts, then resumed:
   * the others elect a leader meanwhile, and the resumed one steps down without serving anything
   * stale (the history would show it).
   */
  @Test
  void leaderPausedThenResumed(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 3, 4);
    s.hold(Duration.ofSeconds(1));
    for (int round = 0; round < 2; round++) {
      DockerNode leader = cluster.awaitLeader(s.nodes());
      s.nemesis().pause(leader);
      cluster.awaitLeader(s.except(leader), Scenario.AVAILABILITY_BOUND);
      s.assertWritable(s.except(leader), "with the leader paused");
      s.holdRandomly(2_000, 4_000);
      s.nemesis().resume(leader);
      await(leader + " steps down after its pause")
          .atMost(STEP_DOWN_BOUND)
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> !"leader".equals(leader.status().get("role")));
      s.holdRandomly(1_000, 2_000);
    }
    s.finish();
  }

  /**
   * Scenario 5: kill -9 and restart of one or two of five nodes at a time (the leader among them
   * when the seed says so); the survivors stay writable, the restarted nodes catch up.
   */
  @Test
  void killsAndRestarts(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 5, 5);
    s.hold(Duration.ofSeconds(1));
    Random random = s.nemesis().random();
    for (int round = 0; round < 6; round++) {
      DockerNode leader = cluster.awaitLeader(s.nodes());
      List<DockerNode> order = s.nemesis().shuffled();
      if (random.nextBoolean()) {
        order.remove(leader);
        order.add(0, leader);
      }
      int count = round % 2 == 1 ? 2 : 1;
      List<DockerNode> victims = new ArrayList<>(order.subList(0, count));
      for (DockerNode victim : victims) {
        s.nemesis().kill(victim);
      }
      s.assertWritable(s.healthy(), "with " + victims + " killed");
      s.holdRandomly(1_000, 3_000);
      for (DockerNode victim : victims) {
        s.nemesis().restart(victim);
      }
      s.holdRandomly(1_000, 2_000);
    }
    s.finish();
  }

  /**
   * Scenario 6: random faults drawn from the seed for {@code tinykv.docker.nemesis.seconds}
   * (default 60), each leaving a connected majority that must stay writable, healed after a few
   * seconds; then a full heal in which every node converges.
   */
  @Test
  void mixedRandomNemesis(TestInfo info) {
    Duration length = Duration.ofSeconds(Long.getLong("tinykv.docker.nemesis.seconds", 60));
    Scenario s = Scenario.start(cluster, info, 5, 5);
    long end = System.nanoTime() + length.toNanos();
    Random random = s.nemesis().random();
    while (System.nanoTime() < end) {
      DockerNode leader = cluster.awaitLeader(s.nodes());
      List<DockerNode> writable = applyRandomFault(s, random, leader);
      s.assertWritable(writable, "during the fault");
      s.holdRandomly(1_000, 4_000);
      s.nemesis().healAll();
      s.holdRandomly(500, 2_000);
    }
    s.finish();
  }

  /**
   * Scenario 7 (removals only: {@code --join} for adding a new node is not in the node yet): a
   * follower cut off in the minority of a 3/2 split is removed by the majority; then the leader
   * removes itself while another member is paused (leadership moves to a remaining voter). Each
   * removed node is stopped for good. The three remaining members stay writable and converge.
   */
  @Test
  void membershipChangesDuringPartitions(TestInfo info) {
    Scenario s = Scenario.start(cluster, info, 5, 5);
    s.hold(Duration.ofSeconds(1));

    DockerNode leader = cluster.awaitLeader(s.nodes());
    List<DockerNode> majority = s.nemesis().splitMajorityMinority(leader, true);
    DockerNode cutOff =
        s.nodes().stream().filter(n -> !majority.contains(n)).findFirst().orElseThrow();
    s.removeNode(cutOff, majority);
    s.assertWritable(majority, "after removing " + cutOff + " in the minority");
    s.holdRandomly(3_000, 5_000);
    s.nemesis().healAll();
    s.holdRandomly(2_000, 3_000);

    DockerNode current = cluster.awaitLeader(s.nemesis().members());
    List<DockerNode> others = s.except(current);
    DockerNode paused = others.get(s.nemesis().random().nextInt(others.size()));
    s.nemesis().pause(paused);
    s.removeNode(current, s.nemesis().members());
    s.assertWritable(s.healthy(), "after the leader " + current + " removed itself");
    s.holdRandomly(3_000, 5_000);
    s.nemesis().resume(paused);
    s.holdRandomly(2_000, 3_000);
    assertThat(s.nemesis().members()).hasSize(3);
    s.finish();
  }

  /** Applies one fault drawn from {@code random}; returns the nodes that must stay writable. */
  private static List<DockerNode> applyRandomFault(Scenario s, Random random, DockerNode leader) {
    Nemesis nemesis = s.nemesis();
    List<DockerNode> order = nemesis.shuffled();
    switch (random.nextInt(8)) {
      case 0 -> nemesis.kill(order.get(0));
      case 1 -> {
        nemesis.kill(order.get(0));
        nemesis.kill(order.get(1));
      }
      case 2 -> nemesis.pause(random.nextBoolean() ? leader : order.get(0));
      case 3 -> nemesis.isolate(random.nextBoolean() ? leader : order.get(0));
      case 4 -> {
        return nemesis.splitMajorityMinority(leader, random.nextBoolean());
      }
      case 5 -> nemesis.isolateByFirewall(leader);
      case 6 -> nemesis.bridge(order);
      default -> nemesis.ring(order);
    }
    return s.healthy();
  }
}
