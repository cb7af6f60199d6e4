package io.tinykv.raft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.api.ReadFailedException;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.transport.local.LocalNetwork;
import io.tinykv.raft.protocol.Membership;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes in one JVM: the Disruptor pipeline, durable storage with fsync, and an
 * in-process network that can cut links.
 */
class RuntimeClusterTest {

  private static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path root;

  private final LocalNetwork network = new LocalNetwork();
  private final Map<NodeId, DefaultRaftNode<Long>> nodes = new LinkedHashMap<>();
  private final Map<NodeId, Journal> journals = new LinkedHashMap<>();

  private void start(NodeId id) {
    RaftConfig config = RaftConfig.builder(id).electionTicks(15).heartbeatTicks(3).build();
    DiskStorage storage = DiskStorage.open(StorageConfig.of(root.resolve(id.value()), "test"));
    Journal journal = new Journal();
    DefaultRaftNode<Long> node =
        DefaultRaftNode.onDisk(
            config,
            RuntimeOptions.DEFAULTS,
            Membership.ofVoters(new java.util.TreeSet<>(IDS)),
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

  @Test
  void electsALeaderAndReplicatesCommandsToEveryNode() throws Exception {
    IDS.forEach(this::start);
    DefaultRaftNode<Long> leader = awaitLeader();
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      results.add(leader.submit(bytes("w" + i)));
    }
    CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    assertThat(results.get(199).get()).isEqualTo(200L);
    await()
        .atMost(WAIT)
        .untilAsserted(() -> journals.values().forEach(j -> assertThat(j.copy()).hasSize(200)));
    assertThat(journals.get(IDS.get(0)).copy())
        .isEqualTo(journals.get(IDS.get(1)).copy())
        .isEqualTo(journals.get(IDS.get(2)).copy());
    assertThat(leader.status().fsyncs()).as("group commit").isLessThan(200);
  }

  @Test
  void followerReadsSeeEveryAcknowledgedWrite() throws Exception {
    IDS.forEach(this::start);
    DefaultRaftNode<Long> leader = awaitLeader();
    leader.submit(bytes("x")).get(10, TimeUnit.SECONDS);
    for (DefaultRaftNode<Long> node : nodes.values()) {
      Journal journal = journals.get(node.id());
      assertThat(readRetrying(node, journal)).contains("x");
    }
  }

  /**
   * A linearizable read; one that could not be confirmed because leadership moved meanwhile (as on
   * a loaded machine) is retried, as a client would, a bounded number of times.
   */
  private static List<String> readRetrying(DefaultRaftNode<Long> node, Journal journal)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return node.read(journal::copy).get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof ReadFailedException) || attempt == 10) {
          throw e;
        }
        Awaitility.await().atMost(WAIT).until(() -> node.status().raft().leader().isPresent());
      }
    }
  }

  @Test
  void isolatedLeaderIsReplacedAndAcknowledgedWritesSurvive() throws Exception {
    IDS.forEach(this::start);
    DefaultRaftNode<Long> first = awaitLeader();
    Submitted<Long> before = first.propose(bytes("before")).get(10, TimeUnit.SECONDS);
    before.result().get(10, TimeUnit.SECONDS);
    network.isolate(first.id());
    DefaultRaftNode<Long> second = Leaders.await(nodes.values(), Optional.of(first.id()), WAIT);
    second.submit(bytes("after")).get(10, TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> first.status().raft().role() != Role.LEADER);
    network.heal();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                journals
                    .values()
                    .forEach(j -> assertThat(j.copy()).containsSubsequence("before", "after")));
  }
}
