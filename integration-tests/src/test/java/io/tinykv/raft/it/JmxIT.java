package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.tinykv.raft.jmx.LogMXBean;
import io.tinykv.raft.jmx.MemberInfo;
import io.tinykv.raft.jmx.Notifications;
import io.tinykv.raft.jmx.ObjectNames;
import io.tinykv.raft.jmx.PeerMXBean;
import io.tinykv.raft.jmx.RaftNodeMXBean;
import java.io.IOException;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Real node processes started with {@code --jmx-port}, managed the way JConsole does it: {@code
 * JMXConnectorFactory} on {@code service:jmx:rmi:///jndi/rmi://host:port/jmxrmi}, user {@code
 * admin}, password the cluster secret.
 */
@SuppressWarnings("BanJNDI") // a JMX client looks the connector up through JNDI, as JConsole does
class JmxIT {

  private static final String USER = "admin";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  private final List<JMXConnector> connectors = new ArrayList<>();

  @AfterEach
  void disconnect() {
    for (JMXConnector c : connectors) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the node may be dead already
      }
    }
  }

  private static JMXServiceURL url(NodeProcess node) throws IOException {
    return new JMXServiceURL(
        "service:jmx:rmi:///jndi/rmi://"
            + NodeProcess.HOST
            + ":"
            + node.jmxPort().orElseThrow()
            + "/jmxrmi");
  }

  private MBeanServerConnection connect(NodeProcess node, String user, String password)
      throws IOException {
    JMXConnector connector =
        JMXConnectorFactory.connect(
            url(node), Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    connectors.add(connector);
    return connector.getMBeanServerConnection();
  }

  /** Connects once the node's JVM serves JMX (it starts after the test asks for a leader). */
  private MBeanServerConnection awaitConnection(NodeProcess node) {
    return await(node + " serving JMX on port " + node.jmxPort().orElseThrow())
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> connect(node, USER, ClusterFixture.SECRET), c -> true);
  }

  private static RaftNodeMXBean raftNode(MBeanServerConnection c, NodeProcess node) {
    return JMX.newMXBeanProxy(c, ObjectNames.raftNode(node.id()), RaftNodeMXBean.class);
  }

  /**
   * Asserts on one view of the cluster: {@code check} runs with the leader all nodes agree on at
   * that moment, and again (with the leader found again) until it passes, since a loaded machine
   * may move leadership while the test looks.
   */
  private void withCurrentLeader(ThrowingConsumer<NodeProcess> check) {
    await().atMost(WAIT).untilAsserted(() -> check.accept(cluster.awaitLeader()));
  }

  @Test
  void attributesOfEveryNodeAsJConsoleReadsThem() throws Exception {
    cluster.startWithJmx(3);
    try (Jedis jedis = cluster.awaitLeader().client()) {
      for (int i = 0; i < 20; i++) {
        assertThat(jedis.set("k" + i, "v" + i)).isEqualTo("OK");
      }
    }
    Map<NodeProcess, MBeanServerConnection> connections = new LinkedHashMap<>();
    for (NodeProcess node : cluster.live()) {
      connections.put(node, awaitConnection(node));
    }
    ObjectName peers = new ObjectName("io.tinykv:type=Peer,*");
    withCurrentLeader(
        leader -> {
          long proposals = 0;
          for (NodeProcess node : cluster.live()) {
            MBeanServerConnection c = connections.get(node);
            RaftNodeMXBean bean = raftNode(c, node);
            boolean isLeader = node == leader;
            assertThat(bean.getAppliedIndex()).isGreaterThanOrEqualTo(21);
            assertThat(bean.getRole()).isEqualTo(isLeader ? "LEADER" : "FOLLOWER");
            assertThat(bean.getLeaderId()).isEqualTo(leader.id());
            assertThat(bean.getLeaderAddress()).isEqualTo(leader.id());
            assertThat(bean.isAcceptingWrites()).isEqualTo(isLeader);
            assertThat(bean.getMembers())
                .extracting(MemberInfo::getId)
                .containsExactlyInAnyOrderElementsOf(
                    cluster.nodes().stream().map(NodeProcess::id).toList());

            LogMXBean log = JMX.newMXBeanProxy(c, ObjectNames.log(node.id()), LogMXBean.class);
            assertThat(log.getLastIndex()).isGreaterThanOrEqualTo(21);
            assertThat(log.getBytesOnDisk()).isPositive();
            assertThat(log.getFsyncCount()).isPositive();

            if (isLeader) {
              assertThat(c.queryNames(peers, null)).hasSize(2);
              for (ObjectName name : c.queryNames(peers, null)) {
                assertThat(JMX.newMXBeanProxy(c, name, PeerMXBean.class).getMatchIndex())
                    .isGreaterThanOrEqualTo(21);
              }
            } else {
              assertThat(c.queryNames(peers, null)).isEmpty();
            }
            proposals += (Long) c.getAttribute(ObjectNames.metric(node.id(), "proposals"), "Count");
            assertThat(
                    c.getAttribute(
                        ObjectNames.metric(node.id(), "commitLatency"), "99thPercentile"))
                .isInstanceOf(Double.class);
            // The platform MBeans are there too, for VisualVM's and JConsole's other tabs.
            assertThat(c.isRegistered(new ObjectName("java.lang:type=Runtime"))).isTrue();
          }
          // Each SET was proposed once, by whichever node led when it arrived.
          assertThat(proposals).isGreaterThanOrEqualTo(20);
        });
  }

  @Test
  void killingTheLeaderIsNotifiedAsARoleChange() throws Exception {
    cluster.startWithJmx(3);
    List<Notification> received = new CopyOnWriteArrayList<>();
    // Subscribed before the leader is known: whoever leads next becomes leader after this.
    for (NodeProcess node : cluster.live()) {
      awaitConnection(node)
          .addNotificationListener(
              ObjectNames.raftNode(node.id()), (n, handback) -> received.add(n), null, null);
    }
    NodeProcess oldLeader = cluster.awaitLeader();
    oldLeader.kill();
    NodeProcess newLeader = cluster.awaitLeader();
    assertThat(newLeader).isNotSameAs(oldLeader);
    ObjectName newLeaderName = ObjectNames.raftNode(newLeader.id());
    await("a role change of " + newLeader + " to LEADER, among " + received)
        .atMost(WAIT)
        .until(
            () ->
                received.stream()
                    .anyMatch(
                        n ->
                            n.getType().equals(Notifications.ROLE_CHANGED)
                                && newLeaderName.equals(n.getSource())
                                && "LEADER".equals(n.getUserData())));
    NodeProcess other = cluster.liveExcept(newLeader).get(0);
    await("the other survivor told of the new leader")
        .atMost(WAIT)
        .until(
            () ->
                received.stream()
                    .anyMatch(
                        n ->
                            n.getType().equals(Notifications.LEADER_CHANGED)
                                && ObjectNames.raftNode(other.id()).equals(n.getSource())
                                && newLeader.id().equals(n.getUserData())));
  }

  @Test
  void withoutAJmxPortTheMBeansAreThereForLocalAttach() throws Exception {
    cluster.start(3);
    NodeProcess leader = cluster.awaitLeader();
    // What JConsole's "Local Process" list does: find the JVM by its command line, attach, and
    // start its local management agent (no password: only the same user can attach).
    VirtualMachineDescriptor jvm =
        VirtualMachine.list().stream()
            .filter(d -> d.displayName().contains(" --port " + leader.port() + " "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no local JVM runs " + leader));
    VirtualMachine vm = VirtualMachine.attach(jvm);
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    JMXConnector local = JMXConnectorFactory.connect(new JMXServiceURL(address));
    connectors.add(local);
    withCurrentLeader(
        current ->
            assertThat(raftNode(local.getMBeanServerConnection(), leader).getRole())
                .isEqualTo(current == leader ? "LEADER" : "FOLLOWER"));
  }

  @Test
  void wrongOrMissingCredentialsAreRefused() throws Exception {
    cluster.startWithJmx(3);
    NodeProcess node = cluster.awaitLeader();
    awaitConnection(node);
    assertThatThrownBy(() -> connect(node, USER, "not-the-secret"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("authentication failed");
    assertThatThrownBy(() -> connect(node, "root", ClusterFixture.SECRET))
        .isInstanceOf(SecurityException.class);
    assertThatThrownBy(() -> JMXConnectorFactory.connect(url(node)).close())
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("authentication required");
  }

  @Test
  void theRegistryHandsOutAStubForTheBoundHostAndOnePort() throws Exception {
    cluster.startWithJmx(3);
    NodeProcess node = cluster.awaitLeader();
    awaitConnection(node);
    int port = node.jmxPort().orElseThrow();
    String stub = LocateRegistry.getRegistry(NodeProcess.HOST, port).lookup("jmxrmi").toString();
    assertThat(stub).contains("endpoint:[" + NodeProcess.HOST + ":" + port + "]");
  }

  @Test
  void operationsAnswerReadablyOverRmi() throws Exception {
    cluster.startWithJmx(3);
    Map<NodeProcess, MBeanServerConnection> connections = new LinkedHashMap<>();
    for (NodeProcess node : cluster.live()) {
      connections.put(node, awaitConnection(node));
    }
    withCurrentLeader(
        leader -> {
          NodeProcess follower = cluster.liveExcept(leader).get(0);
          // Generic invocation, as JConsole's Operations tab does it.
          assertThatThrownBy(
                  () ->
                      connections
                          .get(follower)
                          .invoke(ObjectNames.raftNode(follower.id()), "stepDown", null, null))
              .cause()
              .isExactlyInstanceOf(IllegalStateException.class)
              .hasMessageContaining(
                  follower.id() + " is not the leader; the leader is " + leader.id());
        });
    // Whatever the server's ClusterOperations answer, a client without TinyKV's classes reads it:
    // a string, or a JDK exception with a message. (No member listens at 127.0.0.1:1.)
    NodeProcess any = cluster.live().get(0);
    for (String operation : List.of("removeNode", "takeSnapshot")) {
      boolean takesId = operation.equals("removeNode");
      try {
        Object result =
            connections
                .get(any)
                .invoke(
                    ObjectNames.raftNode(any.id()),
                    operation,
                    takesId ? new Object[] {"127.0.0.1:1"} : null,
                    takesId ? new String[] {String.class.getName()} : null);
        assertThat(result).isInstanceOf(String.class);
      } catch (RuntimeMBeanException e) {
        assertThat(e.getCause().getClass().getName()).startsWith("java.");
        assertThat(e.getCause().getMessage()).isNotBlank();
      }
    }
    withCurrentLeader(
        leader -> {
          NodeProcess target = cluster.liveExcept(leader).get(0);
          String result = raftNode(connections.get(leader), leader).transferLeadership(target.id());
          assertThat(result).startsWith(target.id() + " is now the leader (term ");
        });
  }

  @Test
  void addThenRemoveANodeThroughTheOperations() throws Exception {
    cluster.startWithJmx(3);
    Map<NodeProcess, MBeanServerConnection> connections = new LinkedHashMap<>();
    List<Notification> received = new CopyOnWriteArrayList<>();
    for (NodeProcess node : cluster.live()) {
      MBeanServerConnection c = awaitConnection(node);
      connections.put(node, c);
      c.addNotificationListener(
          ObjectNames.raftNode(node.id()), (n, handback) -> received.add(n), null, null);
    }
    NodeProcess n4 = cluster.newNode("n4");
    // The leader adds n4 as a learner before it runs; n4 then joins through a member, learns it is
    // a learner already, catches up and is promoted to voter.
    List<String> results = new CopyOnWriteArrayList<>();
    changeOnTheLeader(
        connections,
        bean -> results.add(bean.addNode(n4.id())),
        members -> members.contains(n4.id()));
    assertThat(results).anyMatch(r -> r.startsWith("added " + n4.id() + " at " + n4.id()));
    n4.start(List.of("--join", cluster.nodes().get(0).id()));
    // (n4 has no JMX port: should it lead for a moment, the leader's view is read again.)
    await(n4 + " a voter in the leader's view")
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              NodeProcess leader = cluster.awaitLeader();
              assertThat(raftNode(connections.get(leader), leader).getMembers())
                  .filteredOn(m -> m.getId().equals(n4.id()))
                  .extracting(MemberInfo::getRole)
                  .containsExactly("FOLLOWER");
            });
    await("a membership change naming " + n4)
        .atMost(WAIT)
        .until(() -> membershipChanges(received).stream().anyMatch(m -> m.contains(n4.id())));

    results.clear();
    changeOnTheLeader(
        connections,
        bean -> results.add(bean.removeNode(n4.id())),
        members -> !members.contains(n4.id()));
    assertThat(results).anyMatch(r -> r.startsWith("removed " + n4.id()));
    await("a membership change without " + n4)
        .atMost(WAIT)
        .until(
            () -> {
              List<String> changes = membershipChanges(received);
              return !changes.isEmpty() && !changes.get(changes.size() - 1).contains(n4.id());
            });
    n4.stop();
  }

  /**
   * Calls {@code operation} on the current leader's RaftNode MBean until the leader's members
   * satisfy {@code done}: a loaded machine may move leadership between finding and asking.
   */
  private void changeOnTheLeader(
      Map<NodeProcess, MBeanServerConnection> connections,
      ThrowingConsumer<RaftNodeMXBean> operation,
      Predicate<List<String>> done) {
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> {
              NodeProcess leader = cluster.awaitLeader();
              RaftNodeMXBean bean = raftNode(connections.get(leader), leader);
              if (!done.test(memberIds(bean))) {
                operation.accept(bean);
              }
              return done.test(memberIds(bean));
            });
  }

  private static List<String> memberIds(RaftNodeMXBean bean) {
    return Arrays.stream(bean.getMembers()).map(MemberInfo::getId).toList();
  }

  private static List<String> membershipChanges(List<Notification> received) {
    return received.stream()
        .filter(n -> n.getType().equals(Notifications.MEMBERSHIP_CHANGED))
        .map(n -> (String) n.getUserData())
        .toList();
  }

  /** An assertion block that may throw checked exceptions (JMX calls do). */
  @FunctionalInterface
  private interface ThrowingConsumer<T> {
    void accept(T value) throws Exception;
  }
}
