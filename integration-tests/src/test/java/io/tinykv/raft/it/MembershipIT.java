package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.it.AcknowledgedWrites.BackgroundWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Membership changes on real node processes: nodes join through any member ({@code --join}), become
 * voters once caught up, and are removed with {@code REMOVE_NODE}, while clients keep writing; no
 * acknowledged write is lost.
 */
class MembershipIT {

  private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  private final AcknowledgedWrites writes = new AcknowledgedWrites();

  @Test
  void growsFromThreeToFiveAndShrinksBackUnderLoad() {
    List<NodeProcess> original = cluster.start(3);
    cluster.awaitLeader();
    writes.writeAll("before", 100, original);
    try (BackgroundWriter during = writes.startWriting("during", original)) {
      NodeProcess n4 = cluster.newNode("n4");
      NodeProcess n5 = cluster.newNode("n5");
      // Through a follower: it answers QUERY_LEADER, and the joiner then asks the leader.
      n4.start(List.of("--join", original.get(0).id()));
      awaitVoters(5 - 1, original.get(0));
      n5.start(List.of("--join", original.get(1).id()));
      awaitVoters(5, original.get(0));
      assertThat(cluster.awaitLeader().admin("LIST_NODES")).contains("id=" + n5.id());

      // Shrink back, removing the newcomers through whichever node we talk to.
      assertThat(original.get(2).admin("REMOVE_NODE", n5.id())).startsWith("OK removed");
      assertThat(original.get(2).admin("REMOVE_NODE", n4.id())).startsWith("OK removed");
      awaitVoters(3, original.get(0));
      n4.stop();
      n5.stop();
      awaitMoreAcknowledged(during, 50);
    }
    cluster.awaitSameState();
    for (NodeProcess node : cluster.live()) {
      writes.assertAllReadableOn(node);
    }
  }

  @Test
  void removingTheLeaderHandsOverAndTheRestKeepServing() {
    List<NodeProcess> nodes = cluster.start(3);
    NodeProcess leader = cluster.awaitLeader();
    writes.writeAll("before", 100, nodes);
    NodeProcess follower = cluster.liveExcept(leader).get(0);
    assertThat(follower.admin("REMOVE_NODE", leader.id())).startsWith("OK removed");
    List<NodeProcess> remaining = cluster.liveExcept(leader);
    NodeProcess newLeader = cluster.awaitLeader(remaining);
    assertThat(newLeader).isNotSameAs(leader);
    leader.stop();
    writes.writeAll("after", 100, remaining);
    assertThat(newLeader.admin("LIST_NODES").lines()).hasSize(2);
    for (NodeProcess node : remaining) {
      writes.assertAllReadableOn(node);
    }
  }

  @Test
  void aWipedVoterIsRefusedUntilRemovedThenRejoinsFromASnapshot() throws Exception {
    List<NodeProcess> nodes = cluster.start(3);
    NodeProcess leader = cluster.awaitLeader();
    writes.writeAll("before", 300, nodes);
    NodeProcess lost = cluster.liveExcept(leader).get(0);
    lost.stop();
    lost.wipe();
    List<NodeProcess> survivors = cluster.liveExcept(lost);
    // The cluster's log is compacted, so the rejoining node must recover from a snapshot.
    assertThat(cluster.awaitLeader(survivors).admin("SNAPSHOT")).startsWith("OK snapshot");

    lost.start(List.of("--join", leader.id()));
    OptionalInt exit = lost.awaitExitCode(Duration.ofSeconds(30));
    assertThat(exit).as("a wiped voter must not come back as itself").isPresent();
    assertThat(exit.getAsInt()).isNotZero();
    assertThat(lost.consoleOutput()).contains("is already a voter");

    assertThat(cluster.awaitLeader(survivors).admin("REMOVE_NODE", lost.id()))
        .startsWith("OK removed");
    lost.wipe();
    lost.start(List.of("--join", survivors.get(0).id()));
    awaitVoters(3, survivors.get(0));
    cluster.awaitSameState();
    writes.assertAllReadableOn(lost);

    // A joined node restarts with --root alone.
    lost.kill();
    writes.writeAll("while-down", 50, survivors);
    lost.restart();
    cluster.awaitSameState();
    writes.assertAllReadableOn(lost);
  }

  @Test
  void replacesEveryMemberOneByOneThenRestartsTheWholeClusterAndReadsEveryKeyBack() {
    List<NodeProcess> original = cluster.start(3);
    cluster.awaitLeader();
    writes.writeAll("initial", 100, original);
    List<NodeProcess> members = new ArrayList<>(original);
    for (int i = 0; i < original.size(); i++) {
      NodeProcess old = original.get(i);
      NodeProcess replacement = cluster.newNode("r" + (i + 1));
      NodeProcess through = members.stream().filter(m -> m != old).findFirst().orElseThrow();
      replacement.start(List.of("--join", through.id()));
      members.add(replacement);
      awaitVoters(4, through);
      assertThat(through.admin("REMOVE_NODE", old.id())).startsWith("OK removed");
      members.remove(old);
      awaitVoters(3, through);
      old.stop();
      writes.writeAll("after-replacing-" + (i + 1), 50, members);
    }
    assertThat(cluster.live()).containsExactlyInAnyOrderElementsOf(members);
    cluster.awaitSameState();

    // The whole new cluster goes down and comes back from its disks alone (--root).
    for (NodeProcess node : members) {
      node.stop();
    }
    for (NodeProcess node : members) {
      node.restart();
    }
    cluster.awaitLeader();
    cluster.awaitSameState();
    for (NodeProcess node : members) {
      writes.assertAllReadableOn(node);
    }
  }

  @Test
  void aSecondChangeWhileOneIsPendingOrABadRequestIsRefusedClearly() {
    cluster.start(3);
    NodeProcess leader = cluster.awaitLeader();
    assertThatThrownBy(() -> leader.admin("REMOVE_NODE", "nobody"))
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining("nobody is not a member");
    assertThatThrownBy(() -> leader.admin("ADD_NODE", "no-port"))
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining("ADD_NODE takes host:port");
    assertThatThrownBy(() -> leader.admin("ADD_NODE", leader.id()))
        .isInstanceOf(JedisDataException.class)
        .hasMessageContaining("already a member");
  }

  /** Waits until {@code node}'s LIST_NODES shows {@code count} voters and no learner. */
  private static void awaitVoters(int count, NodeProcess node) {
    await("LIST_NODES on " + node + " showing " + count + " voters")
        .atMost(CHANGE_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              String[] lines = node.admin("LIST_NODES").split("\n");
              return lines.length == count
                  && Arrays.stream(lines).allMatch(l -> l.contains(" role=voter"));
            });
  }

  private static void awaitMoreAcknowledged(BackgroundWriter writer, int more) {
    int target = writer.acknowledged() + more;
    await("more acknowledged background writes")
        .atMost(Duration.ofSeconds(30))
        .until(() -> writer.acknowledged() >= target);
  }
}
