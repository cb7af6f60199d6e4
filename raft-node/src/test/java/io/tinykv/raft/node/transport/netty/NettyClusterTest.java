package io.tinykv.raft.node.transport.netty;

import static io.tinykv.raft.node.transport.netty.NettyCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.protocol.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes over TCP on 127.0.0.1: the Disruptor runtime, durable storage and the Netty
 * transport with its handshake.
 */
class NettyClusterTest {

  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");
  private static final long SEED = 20_240_601L;

  @TempDir Path root;

  private NettyCluster cluster;

  @BeforeEach
  void create(TestInfo test) {
    cluster = new NettyCluster(root, List.of(A, B, C), SEED);
    System.out.println(test.getDisplayName() + ": reconnect jitter seed " + SEED);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void electsALeaderAndReplicatesWritesToEveryNode() throws Exception {
    cluster.startAll();
    DefaultRaftNode<Long> leader = cluster.awaitLeader();

    submitAll(leader, "w", 100);

    awaitJournals(List.of(A, B, C), 100);
    assertThat(cluster.journal(A).copy())
        .isEqualTo(cluster.journal(B).copy())
        .isEqualTo(cluster.journal(C).copy());
    for (NodeId follower : others(leader.id())) {
      PeerLinkStats link = cluster.transport(leader.id()).peerStats(follower).orElseThrow();
      assertThat(link.connected()).isTrue();
      assertThat(link.messagesSent()).isPositive();
      assertThat(link.messagesReceived()).isPositive();
      assertThat(link.lastContact()).isPresent();
    }
  }

  @Test
  void aNodeWithTheWrongSecretCannotJoin() throws Exception {
    cluster.start(A);
    cluster.start(B);
    cluster.start(C, "a wrong guess");
    DefaultRaftNode<Long> leader = cluster.awaitLeader();

    submitAll(leader, "w", 20);

    awaitJournals(List.of(A, B), 20);
    assertThat(leader.id()).isNotEqualTo(C);
    // Wait until C has dialled in vain, then check that nothing ever crossed between C and the
    // others in either direction.
    await()
        .atMost(WAIT)
        .until(
            () -> cluster.transport(C).peerStats(A).map(PeerLinkStats::connectFailures),
            f -> f.orElse(0L) > 1);
    assertThat(cluster.journal(C).copy()).isEmpty();
    assertThat(cluster.node(C).status().raft().role()).isNotEqualTo(Role.LEADER);
    for (NodeId good : List.of(A, B)) {
      PeerLinkStats fromBad = cluster.transport(C).peerStats(good).orElseThrow();
      assertThat(fromBad.connected()).isFalse();
      assertThat(fromBad.messagesSent()).isZero();
      assertThat(fromBad.messagesReceived()).isZero();
      cluster
          .transport(good)
          .peerStats(C)
          .ifPresent(
              toBad -> {
                assertThat(toBad.connected()).isFalse();
                assertThat(toBad.messagesReceived()).isZero();
              });
    }
  }

  @Test
  void aRestartedPeerReconnectsAndCatchesUp() throws Exception {
    cluster.startAll();
    DefaultRaftNode<Long> leader = cluster.awaitLeader();
    submitAll(leader, "before", 10);
    NodeId follower = others(leader.id()).get(0);
    awaitJournals(List.of(follower), 10);

    cluster.stop(follower);
    submitAll(leader, "while-down", 10);
    cluster.start(follower); // same port, same data directory, a fresh state machine

    awaitJournals(List.of(follower), 20);
    assertThat(cluster.journal(follower).copy()).isEqualTo(cluster.journal(leader.id()).copy());
    PeerLinkStats link = cluster.transport(leader.id()).peerStats(follower).orElseThrow();
    assertThat(link.connected()).isTrue();
    assertThat(link.reconnects()).isPositive();
  }

  private void submitAll(DefaultRaftNode<Long> leader, String prefix, int count) throws Exception {
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(leader.submit((prefix + i).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitJournals(List<NodeId> ids, int size) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> ids.forEach(id -> assertThat(cluster.journal(id).copy()).hasSize(size)));
  }

  private static List<NodeId> others(NodeId id) {
    return List.of(A, B, C).stream().filter(n -> !n.equals(id)).toList();
  }
}
