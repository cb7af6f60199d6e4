package io.tinykv.raft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.api.MembershipChangeException;
import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.transport.local.LocalNetwork;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Membership changes on real nodes in one JVM: growing, shrinking, removing the leader. */
class MembershipClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path root;

  private final LocalNetwork network = new LocalNetwork();
  private final Map<NodeId, DefaultRaftNode<Long>> nodes = new LinkedHashMap<>();
  private final Map<NodeId, Journal> journals = new LinkedHashMap<>();

  private static NodeId id(int i) {
    return NodeId.of("n" + i);
  }

  private static NodeAddress address(int i) {
    return NodeAddress.of("127.0.0.1", 7000 + i);
  }

  private static Membership initial(int size) {
    Map<NodeId, NodeAddress> voters = new TreeMap<>();
    for (int i = 1; i <= size; i++) {
      voters.put(id(i), address(i));
    }
    return Membership.ofVoters(voters);
  }

  /** Starts founding member {@code i} of a new cluster with {@code membership}. */
  private void start(int i, Membership membership) {
    start(i, membership, true);
  }

  /**
   * Starts node {@code i}: a founding member is bootstrapped with {@code membership}; a joining
   * node starts from {@code membership}, the configuration that names it a learner.
   */
  private void start(int i, Membership membership, boolean founding) {
    NodeId id = id(i);
    RaftConfig config = RaftConfig.builder(id).electionTicks(15).heartbeatTicks(3).build();
    DiskStorage storage = DiskStorage.open(StorageConfig.of(root.resolve(id.value()), "test"));
    if (founding) {
      DefaultRaftNode.bootstrap(storage, membership);
    }
    Journal journal = new Journal();
    DefaultRaftNode<Long> node =
        DefaultRaftNode.onDisk(
            config,
            RuntimeOptions.DEFAULTS,
            membership,
            storage,
            journal,
            network.transportFor(id));
    nodes.put(id, node.start());
    journals.put(id, journal);
  }

  @AfterEach
  void stop() {
    nodes.values().forEach(DefaultRaftNode::close);
    network.close();
  }

  private DefaultRaftNode<Long> awaitLeader() {
    return Leaders.await(nodes.values(), Optional.empty(), WAIT);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void write(String prefix, int count) throws Exception {
    List<CompletableFuture<Long>> results = new ArrayList<>();
    DefaultRaftNode<Long> leader = awaitLeader();
    for (int i = 0; i < count; i++) {
      results.add(leader.submit(bytes(prefix + i)));
    }
    for (CompletableFuture<Long> r : results) {
      r.get(20, TimeUnit.SECONDS);
    }
  }

  private void awaitSameJournal(List<NodeId> members) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<String> expected = journals.get(members.get(0)).copy();
              for (NodeId m : members) {
                assertThat(journals.get(m).copy()).as("journal of " + m).isEqualTo(expected);
              }
            });
  }

  @Test
  void growsThreeToFiveThroughLearnersAndShrinksBack() throws Exception {
    Membership three = initial(3);
    for (int i = 1; i <= 3; i++) {
      start(i, three);
    }
    write("before-", 50);
    for (int i = 4; i <= 5; i++) {
      DefaultRaftNode<Long> leader = awaitLeader();
      // A joining node starts from the configuration that names it a learner.
      Membership withLearner = leader.status().raft().membership().withLearner(id(i), address(i));
      start(i, withLearner, false);
      Membership afterAdd = leader.addLearner(id(i), address(i)).get(30, TimeUnit.SECONDS);
      assertThat(afterAdd.isMember(id(i))).isTrue();
      int added = i;
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(awaitLeader().status().raft().membership().voters())
                      .contains(id(added)));
      write("grown-" + i + "-", 20);
    }
    assertThat(awaitLeader().status().raft().membership().voters())
        .containsExactly(id(1), id(2), id(3), id(4), id(5));
    awaitSameJournal(List.of(id(1), id(2), id(3), id(4), id(5)));

    for (int i = 5; i >= 4; i--) {
      Membership after = awaitLeader().removeMember(id(i)).get(30, TimeUnit.SECONDS);
      assertThat(after.isMember(id(i))).isFalse();
      assertThat(after.isJoint()).isFalse();
    }
    write("shrunk-", 20);
    assertThat(awaitLeader().status().raft().membership().voters())
        .containsExactly(id(1), id(2), id(3));
    awaitSameJournal(List.of(id(1), id(2), id(3)));
  }

  @Test
  void removingTheLeaderHandsLeadershipOver() throws Exception {
    Membership three = initial(3);
    for (int i = 1; i <= 3; i++) {
      start(i, three);
    }
    write("w", 20);
    DefaultRaftNode<Long> oldLeader = awaitLeader();
    Membership after = oldLeader.removeMember(oldLeader.id()).get(30, TimeUnit.SECONDS);
    assertThat(after.voters()).hasSize(2).doesNotContain(oldLeader.id());
    List<DefaultRaftNode<Long>> remaining = new ArrayList<>(nodes.values());
    remaining.remove(oldLeader);
    DefaultRaftNode<Long> newLeader = Leaders.await(remaining, Optional.empty(), WAIT);
    assertThat(newLeader.id()).isNotEqualTo(oldLeader.id());
    newLeader.submit(bytes("after")).get(20, TimeUnit.SECONDS);
    // The removed node never campaigns again, so it cannot disrupt the two that remain.
    long term = newLeader.status().raft().term();
    Thread.sleep(1_000);
    assertThat(oldLeader.status().raft().role()).isNotEqualTo(Role.LEADER);
    assertThat(newLeader.status().raft().term()).isEqualTo(term);
    assertThat(newLeader.status().raft().role()).isEqualTo(Role.LEADER);
  }

  @Test
  void changesAreRefusedClearly() throws Exception {
    Membership three = initial(3);
    for (int i = 1; i <= 3; i++) {
      start(i, three);
    }
    DefaultRaftNode<Long> leader = awaitLeader();
    DefaultRaftNode<Long> follower =
        nodes.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
    assertThatThrownBy(() -> follower.removeMember(id(1)).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(NotLeaderException.class);
    assertThatThrownBy(() -> leader.addLearner(id(2), address(2)).get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(MembershipChangeException.class)
        .hasMessageContaining("already a member");
    assertThatThrownBy(() -> leader.removeMember(id(9)).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("n9 is not a member");
  }
}
