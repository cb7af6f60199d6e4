package io.tinykv.raft.node.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.jmx.LogMXBean;
import io.tinykv.raft.jmx.MemberInfo;
import io.tinykv.raft.jmx.Notifications;
import io.tinykv.raft.jmx.ObjectNames;
import io.tinykv.raft.jmx.PeerMXBean;
import io.tinykv.raft.jmx.RaftNodeMXBean;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.Journal;
import io.tinykv.raft.node.runtime.Leaders;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MBeans of three real nodes in one JVM (Disruptor pipeline, durable storage, an in-process
 * network that can isolate a node), read and driven through MXBean proxies as a JMX client would,
 * in an MBean server of the test's own.
 */
class NodeManagementTest {

  private static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int TICK_MILLIS = 10;

  /** Half a second to a second: long enough that a loaded machine does not move leadership. */
  private static final int ELECTION_TICKS = 50;

  @TempDir Path root;

  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
  private final LocalNetwork network = new LocalNetwork();
  private final Map<NodeId, DefaultRaftNode<Long>> nodes = new LinkedHashMap<>();
  private final Map<NodeId, NodeManagement> managements = new LinkedHashMap<>();
  private final List<Notification> received = new CopyOnWriteArrayList<>();

  private void start(ClusterOperations operations) throws Exception {
    start(operations, SnapshotOptions.DEFAULTS);
  }

  private void start(ClusterOperations operations, SnapshotOptions snapshots) throws Exception {
    for (NodeId id : IDS) {
      RaftConfig config =
          RaftConfig.builder(id).electionTicks(ELECTION_TICKS).heartbeatTicks(3).build();
      DiskStorage storage = DiskStorage.open(StorageConfig.of(root.resolve(id.value()), "test"));
      DefaultRaftNode<Long> node =
          DefaultRaftNode.onDisk(
              config,
              new RuntimeOptions(TICK_MILLIS, 1024, 1024, 1024, snapshots),
              Membership.ofVoters(new TreeSet<>(IDS)),
              storage,
              new Journal(),
              network.transportFor(id));
      NodeManagement management =
          NodeManagement.builder(node, config, TICK_MILLIS)
              .mbeanServer(server)
              .addresses(NodeManagementTest::address)
              .log(storage.log())
              .snapshots(storage.snapshots())
              .operations(operations)
              .register();
      server.addNotificationListener(
          ObjectNames.raftNode(id.value()), (n, handback) -> received.add(n), null, null);
      nodes.put(id, node.start());
      managements.put(id, management);
    }
  }

  @AfterEach
  void stop() {
    managements.values().forEach(NodeManagement::close);
    nodes.values().forEach(DefaultRaftNode::close);
    network.close();
  }

  private static Optional<NodeAddress> address(NodeId id) {
    return Optional.of(NodeAddress.of("10.0.0." + (1 + IDS.indexOf(id)), 7001));
  }

  private RaftNodeMXBean bean(NodeId id) {
    return JMX.newMXBeanProxy(server, ObjectNames.raftNode(id.value()), RaftNodeMXBean.class);
  }

  private DefaultRaftNode<Long> awaitLeader(Optional<NodeId> excluded) {
    return Leaders.await(nodes.values(), excluded, WAIT);
  }

  private void write(DefaultRaftNode<Long> leader, int count) throws Exception {
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(leader.submit(("w" + i).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
  }

  private Set<ObjectName> names(String pattern) throws Exception {
    return server.queryNames(new ObjectName(pattern), null);
  }

  private List<Notification> notifications(String type, NodeId from) {
    ObjectName source = ObjectNames.raftNode(from.value());
    return received.stream()
        .filter(n -> n.getType().equals(type) && source.equals(n.getSource()))
        .toList();
  }

  @Test
  void attributesDescribeTheLeaderAndItsFollowers() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> leader = awaitLeader(Optional.empty());
    write(leader, 50);
    NodeId leaderId = leader.id();
    RaftNodeMXBean leaderBean = bean(leaderId);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (NodeId id : IDS) {
                RaftNodeMXBean b = bean(id);
                assertThat(b.getLeaderId()).isEqualTo(leaderId.value());
                assertThat(b.getAppliedIndex()).isGreaterThanOrEqualTo(51);
                assertThat(b.getCommitIndex()).isGreaterThanOrEqualTo(51);
              }
              assertThat(leaderBean.getReachablePeers())
                  .containsExactlyInAnyOrderElementsOf(
                      IDS.stream().filter(id -> !id.equals(leaderId)).map(NodeId::value).toList());
            });
    assertThat(leaderBean.getRole()).isEqualTo("LEADER");
    assertThat(leaderBean.isAcceptingWrites()).isTrue();
    assertThat(leaderBean.getTerm()).isPositive();
    assertThat(leaderBean.getLastLogIndex()).isGreaterThanOrEqualTo(leaderBean.getCommitIndex());
    assertThat(leaderBean.getSnapshotIndex()).isZero();
    assertThat(leaderBean.getUptimeSeconds()).isNotNegative();
    for (NodeId id : IDS) {
      RaftNodeMXBean b = bean(id);
      assertThat(b.getLeaderAddress()).isEqualTo(address(leaderId).orElseThrow().toString());
      assertThat(b.getTerm()).isEqualTo(leaderBean.getTerm());
      MemberInfo[] members = b.getMembers();
      assertThat(members)
          .extracting(MemberInfo::getId)
          .containsExactly(IDS.stream().map(NodeId::value).toArray(String[]::new));
      for (MemberInfo m : members) {
        assertThat(m.isSelf()).isEqualTo(m.getId().equals(id.value()));
        assertThat(m.getRole())
            .isEqualTo(m.getId().equals(leaderId.value()) ? "LEADER" : "FOLLOWER");
        assertThat(m.getAddress())
            .isEqualTo(address(NodeId.of(m.getId())).orElseThrow().toString());
      }
      if (!id.equals(leaderId)) {
        assertThat(b.getRole()).isEqualTo("FOLLOWER");
        assertThat(b.isAcceptingWrites()).isFalse();
      }
    }
  }

  @Test
  void logAndMetricsCountWhatTheNodeDid() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> leader = awaitLeader(Optional.empty());
    write(leader, 100);
    String id = leader.id().value();
    LogMXBean log = JMX.newMXBeanProxy(server, ObjectNames.log(id), LogMXBean.class);
    assertThat(log.getFirstIndex()).isEqualTo(1);
    assertThat(log.getLastIndex()).isGreaterThanOrEqualTo(101);
    assertThat(log.getSegments()).isPositive();
    assertThat(log.getBytesOnDisk()).isGreaterThan(100L * 2);
    assertThat(log.getFsyncCount()).isPositive().isEqualTo(leader.status().fsyncs());
    assertThat(log.getFsyncLatencyMillisMean()).isPositive();
    assertThat(log.getEntriesPerFsync()).isGreaterThanOrEqualTo(1.0);
    double hitRatio = log.getCacheHitRatio();
    assertThat(Double.isNaN(hitRatio) || (hitRatio >= 0 && hitRatio <= 1)).isTrue();

    assertThat(server.getAttribute(ObjectNames.metric(id, "proposals"), "Count")).isEqualTo(100L);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(server.getAttribute(ObjectNames.metric(id, "commitLatency"), "Count"))
                    .isEqualTo(100L));
    assertThat(
            (Double) server.getAttribute(ObjectNames.metric(id, "commitLatency"), "99thPercentile"))
        .isPositive();
    assertThat(server.getAttribute(ObjectNames.metric(id, "commitLatency"), "DurationUnit"))
        .isEqualTo("milliseconds");
    assertThat((Long) server.getAttribute(ObjectNames.metric(id, "fsyncLatency"), "Count"))
        .isEqualTo(leader.status().fsyncs());
    assertThat((Long) server.getAttribute(ObjectNames.metric(id, "applyLag"), "Value"))
        .isNotNegative();
    assertThat((Double) server.getAttribute(ObjectNames.metric(id, "entriesPerFsync"), "Value"))
        .isGreaterThanOrEqualTo(1.0);
    for (NodeId other : IDS) {
      assertThat(names("io.tinykv:type=Metrics,id=" + other.value() + ",*"))
          .extracting(n -> n.getKeyProperty("name"))
          .containsExactlyInAnyOrder(
              "proposals", "commitLatency", "fsyncLatency", "applyLag", "entriesPerFsync");
    }
  }

  @Test
  void peerBeansExistOnTheLeaderOnlyAndFollowLeadership() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> first = awaitLeader(Optional.empty());
    write(first, 20);
    String firstId = first.id().value();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(names("io.tinykv:type=Peer,*"))
                    .extracting(n -> n.getKeyProperty("node") + "->" + n.getKeyProperty("peer"))
                    .containsExactlyInAnyOrderElementsOf(
                        IDS.stream()
                            .filter(id -> !id.equals(first.id()))
                            .map(id -> firstId + "->" + id.value())
                            .toList()));
    NodeId follower = IDS.stream().filter(id -> !id.equals(first.id())).findFirst().orElseThrow();
    PeerMXBean peer =
        JMX.newMXBeanProxy(server, ObjectNames.peer(firstId, follower.value()), PeerMXBean.class);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(peer.getMatchIndex()).isEqualTo(first.status().raft().lastIndex());
              assertThat(peer.getLagEntries()).isZero();
            });
    assertThat(peer.getNextIndex()).isGreaterThan(peer.getMatchIndex());
    assertThat(peer.getLastContactAgeMillis()).isBetween(0L, (long) ELECTION_TICKS * TICK_MILLIS);
    assertThat(peer.getInFlight()).isNotNegative();
    assertThat(peer.getHeartbeatLosses()).isZero();
    assertThat(peer.getReconnects()).isZero();

    assertThat(bean(first.id()).stepDown()).startsWith(firstId + " stepped down in term");
    DefaultRaftNode<Long> second = awaitLeader(Optional.empty());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(names("io.tinykv:type=Peer,*"))
                    .extracting(n -> n.getKeyProperty("node"))
                    .containsOnly(second.id().value())
                    .hasSize(2));
  }

  @Test
  void roleAndLeaderChangesAreNotified() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> first = awaitLeader(Optional.empty());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(notifications(Notifications.ROLE_CHANGED, first.id()))
                  .extracting(Notification::getUserData)
                  .contains("LEADER");
              for (NodeId id : IDS) {
                assertThat(notifications(Notifications.LEADER_CHANGED, id))
                    .extracting(Notification::getUserData)
                    .contains(first.id().value());
              }
            });
    received.clear();
    NodeId target = IDS.stream().filter(id -> !id.equals(first.id())).findFirst().orElseThrow();
    assertThat(bean(first.id()).transferLeadership(target.value()))
        .isEqualTo(target + " is now the leader (term " + bean(target).getTerm() + ")");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(notifications(Notifications.ROLE_CHANGED, first.id()))
                  .extracting(Notification::getUserData)
                  .contains("FOLLOWER");
              assertThat(notifications(Notifications.ROLE_CHANGED, target))
                  .extracting(Notification::getUserData)
                  .containsSequence("CANDIDATE", "LEADER");
              for (NodeId id : IDS) {
                assertThat(notifications(Notifications.LEADER_CHANGED, id))
                    .extracting(Notification::getUserData)
                    .contains(target.value());
              }
            });
    Notification n = notifications(Notifications.ROLE_CHANGED, target).get(0);
    assertThat(n.getMessage()).startsWith(target + " is now CANDIDATE in term");
    assertThat(n.getSequenceNumber()).isPositive();
  }

  @Test
  void anIsolatedLeaderReportsItsQuorumLostAndRegainedAfterHealing() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> first = awaitLeader(Optional.empty());
    write(first, 5);
    network.isolate(first.id());
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(notifications(Notifications.QUORUM_LOST, first.id()))
                    .hasSize(1)
                    .first()
                    .extracting(Notification::getMessage)
                    .asString()
                    .contains("has not heard from a majority within an election timeout (500 ms)"));
    await().atMost(WAIT).until(() -> first.status().raft().role() != Role.LEADER);
    assertThat(bean(first.id()).isAcceptingWrites()).isFalse();
    DefaultRaftNode<Long> second = awaitLeader(Optional.of(first.id()));
    network.heal();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(notifications(Notifications.QUORUM_REGAINED, first.id()))
                    .hasSize(1)
                    .first()
                    .extracting(Notification::getMessage)
                    .asString()
                    .contains("knows leader " + second.id()));
    assertThat(notifications(Notifications.QUORUM_LOST, second.id())).isEmpty();
  }

  @Test
  void aStepDownInAHealthyClusterIsNoQuorumLoss() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> first = awaitLeader(Optional.empty());
    write(first, 5);
    bean(first.id()).stepDown();
    DefaultRaftNode<Long> next = awaitLeader(Optional.empty());
    // The watcher handles changes in order: once the old leader reports the next one, it has long
    // handled its step-down.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(notifications(Notifications.LEADER_CHANGED, first.id()))
                    .extracting(Notification::getUserData)
                    .containsSequence("", next.id().value()));
    assertThat(notifications(Notifications.ROLE_CHANGED, first.id()))
        .extracting(Notification::getUserData)
        .contains("FOLLOWER");
    assertThat(notifications(Notifications.QUORUM_LOST, first.id())).isEmpty();
  }

  @Test
  void refusalsAreReadableJdkExceptions() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> leader = awaitLeader(Optional.empty());
    await()
        .atMost(WAIT)
        .until(
            () -> IDS.stream().allMatch(id -> bean(id).getLeaderId().equals(leader.id().value())));
    NodeId follower = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    RaftNodeMXBean followerBean = bean(follower);
    String notLeader =
        follower
            + " is not the leader; the leader is "
            + leader.id()
            + " at "
            + address(leader.id()).orElseThrow()
            + ": use its RaftNode MBean";
    assertThatThrownBy(followerBean::stepDown)
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(notLeader)
        .hasNoCause();
    assertThatThrownBy(() -> followerBean.transferLeadership(follower.value()))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(notLeader);
    assertThatThrownBy(() -> bean(leader.id()).transferLeadership("z"))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("z is not a voting member; the voters are [a, b, c]");
    assertThatThrownBy(() -> bean(leader.id()).transferLeadership(" "))
        .isExactlyInstanceOf(IllegalArgumentException.class);
    assertThat(bean(leader.id()).transferLeadership(leader.id().value()))
        .startsWith(leader.id() + " is already the leader");
    assertThatThrownBy(() -> followerBean.addNode("10.0.0.9:7001"))
        .isExactlyInstanceOf(UnsupportedOperationException.class)
        .hasMessage(
            "ADD_NODE is not supported yet: it comes with membership changes and snapshots");
    assertThatThrownBy(() -> followerBean.removeNode("c"))
        .isExactlyInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith("REMOVE_NODE is not supported yet");
    assertThatThrownBy(followerBean::takeSnapshot)
        .isExactlyInstanceOf(UnsupportedOperationException.class)
        .hasMessageStartingWith("SNAPSHOT is not supported yet");
    assertThatThrownBy(() -> followerBean.addNode(""))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("addNode takes the new node's host:port");
  }

  @Test
  void clusterOperationsReceiveTheirArgumentsAndAnswerForTheBean() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    start(
        new ClusterOperations() {
          @Override
          public String addNode(String address) {
            calls.add("add " + address);
            return "added " + address;
          }

          @Override
          public String removeNode(String id) {
            calls.add("remove " + id);
            throw new IllegalStateException("cannot remove " + id + ": it is the last voter");
          }

          @Override
          public String takeSnapshot() {
            calls.add("snapshot");
            return "snapshot at 7";
          }
        });
    RaftNodeMXBean a = bean(IDS.get(0));
    assertThat(a.addNode(" 10.0.0.9:7001 ")).isEqualTo("added 10.0.0.9:7001");
    assertThatThrownBy(() -> a.removeNode("c")).hasMessage("cannot remove c: it is the last voter");
    assertThat(a.takeSnapshot()).isEqualTo("snapshot at 7");
    assertThat(calls).containsExactly("add 10.0.0.9:7001", "remove c", "snapshot");
  }

  @Test
  void snapshotsTakenAndInstalledAreNotifiedAndShown() throws Exception {
    // A snapshot every 50 entries, no log kept behind it: a follower that misses 200 entries can
    // only catch up by installing the leader's snapshot.
    start(
        ClusterOperations.notSupportedYet(),
        SnapshotOptions.DEFAULTS.withThresholds(50, 64L << 20, 0));
    DefaultRaftNode<Long> leader = awaitLeader(Optional.empty());
    NodeId lagging = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    network.isolate(lagging);
    write(leader, 200);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(notifications(Notifications.SNAPSHOT_TAKEN, leader.id())).isNotEmpty();
              assertThat(bean(leader.id()).getSnapshotIndex()).isGreaterThanOrEqualTo(150);
              assertThat(
                      JMX.newMXBeanProxy(
                              server, ObjectNames.log(leader.id().value()), LogMXBean.class)
                          .getFirstIndex())
                  .isGreaterThan(100);
            });
    Notification taken = notifications(Notifications.SNAPSHOT_TAKEN, leader.id()).get(0);
    assertThat(taken.getMessage())
        .isEqualTo(leader.id() + " took a snapshot up to index " + taken.getUserData());
    assertThat(notifications(Notifications.SNAPSHOT_INSTALLED, lagging)).isEmpty();
    network.heal();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(notifications(Notifications.SNAPSHOT_INSTALLED, lagging))
                  .extracting(n -> Long.parseLong((String) n.getUserData()))
                  .isNotEmpty()
                  .allMatch(index -> index >= 150);
              assertThat(bean(lagging).getSnapshotIndex()).isGreaterThanOrEqualTo(150);
            });
  }

  @Test
  void membershipChangesAreNotifiedAndPeerBeansFollowThem() throws Exception {
    start(ClusterOperations.notSupportedYet());
    DefaultRaftNode<Long> leader = awaitLeader(Optional.empty());
    NodeId removed = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    List<String> remaining =
        IDS.stream().filter(id -> !id.equals(removed)).map(NodeId::value).toList();
    leader.removeMember(removed).get(20, TimeUnit.SECONDS);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Notification> changes =
                  notifications(Notifications.MEMBERSHIP_CHANGED, leader.id());
              assertThat(changes).isNotEmpty();
              Notification last = changes.get(changes.size() - 1);
              assertThat(last.getUserData()).isEqualTo(String.join(",", remaining));
              assertThat(last.getMessage()).startsWith("the configuration is now voters [");
              assertThat(bean(leader.id()).getMembers())
                  .extracting(MemberInfo::getId)
                  .containsExactlyElementsOf(remaining);
              assertThat(names("io.tinykv:type=Peer,*"))
                  .extracting(n -> n.getKeyProperty("peer"))
                  .containsExactlyElementsOf(
                      remaining.stream().filter(id -> !id.equals(leader.id().value())).toList());
            });
  }

  @Test
  void snapshotEventsFromTheRuntimeBecomeNotifications() throws Exception {
    start(ClusterOperations.notSupportedYet());
    NodeId a = IDS.get(0);
    managements.get(a).recorder().snapshotTaken(42);
    managements.get(a).recorder().snapshotInstalled(77);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(notifications(Notifications.SNAPSHOT_TAKEN, a))
                  .extracting(Notification::getUserData)
                  .containsExactly("42");
              assertThat(notifications(Notifications.SNAPSHOT_INSTALLED, a))
                  .extracting(Notification::getUserData)
                  .containsExactly("77");
            });
  }

  @Test
  void closingUnregistersEverythingAndTheIdCanBeRegisteredAgain() throws Exception {
    start(ClusterOperations.notSupportedYet());
    awaitLeader(Optional.empty());
    NodeId a = IDS.get(0);
    assertThatThrownBy(
            () ->
                NodeManagement.builder(nodes.get(a), RaftConfig.builder(a).build(), TICK_MILLIS)
                    .mbeanServer(server)
                    .register())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot register the MBeans of node a");
    managements.values().forEach(NodeManagement::close);
    managements.clear();
    assertThat(names("io.tinykv:*"))
        .as(
            "left registered: %s",
            names("io.tinykv:*").stream().map(ObjectName::toString).collect(Collectors.joining()))
        .isEmpty();
  }
}
