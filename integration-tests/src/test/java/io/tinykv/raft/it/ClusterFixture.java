package io.tinykv.raft.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Real TinyKV clusters for one test method: node processes launched from the server jar on free
 * ports of 127.0.0.1, each with its own data directory under a fresh temporary directory.
 *
 * <p>Register it as a field ({@code @RegisterExtension final ClusterFixture cluster = new
 * ClusterFixture();}) and start nodes inside the test. After the test, passed or failed, every
 * process is stopped (killed if it does not stop in time) and the data is deleted; if the test
 * failed, each node's {@code .raft/raft.log} is first copied next to its console log in {@code
 * target/it-logs/<class>/<method>/}, and that directory is printed.
 */
final class ClusterFixture implements BeforeEachCallback, AfterEachCallback {

  static final String SECRET = "it-cluster-secret";

  /** JVM start, a few election rounds, and slack for two cores shared by up to five nodes. */
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final List<NodeProcess> nodes = new ArrayList<>();
  private Path logDir;
  private Path dataDir;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    logDir =
        Path.of(System.getProperty("tinykv.it.logs", "target/it-logs"))
            .resolve(context.getRequiredTestClass().getSimpleName())
            .resolve(context.getRequiredTestMethod().getName());
    deleteRecursively(logDir); // the console logs of an earlier run are appended to otherwise
    Files.createDirectories(logDir);
    dataDir = Files.createTempDirectory("tinykv-it-");
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    try {
      nodes.forEach(NodeProcess::stop);
      if (context.getExecutionException().isPresent()) {
        saveRaftLogs();
        System.err.println("TinyKV node logs of the failed test: " + logDir.toAbsolutePath());
      }
    } finally {
      nodes.clear();
      deleteRecursively(dataDir);
    }
  }

  /** Starts a new cluster of {@code size} nodes sharing {@link #SECRET}; does not wait for it. */
  List<NodeProcess> start(int size) {
    return start(Collections.nCopies(size, SECRET));
  }

  /**
   * Starts one node per secret, all with the same {@code --initial-cluster}, so that a node given
   * another secret than its peers is a member they must refuse.
   */
  List<NodeProcess> start(List<String> secrets) {
    return start(secrets, false);
  }

  /** Starts a new cluster of {@code size} nodes, each serving remote JMX on a port of its own. */
  List<NodeProcess> startWithJmx(int size) {
    return start(Collections.nCopies(size, SECRET), true);
  }

  private List<NodeProcess> start(List<String> secrets, boolean jmx) {
    if (!nodes.isEmpty()) {
      throw new IllegalStateException("this test already started a cluster: " + nodes);
    }
    Path jar = serverJar();
    List<Integer> ports = freePorts(secrets.size() * (jmx ? 2 : 1));
    for (int i = 0; i < secrets.size(); i++) {
      String name = "n" + (i + 1);
      OptionalInt jmxPort =
          jmx ? OptionalInt.of(ports.get(secrets.size() + i)) : OptionalInt.empty();
      nodes.add(
          new NodeProcess(
              name, ports.get(i), dataDir.resolve(name), secrets.get(i), jar, logDir, jmxPort));
    }
    String members = nodes.stream().map(NodeProcess::id).collect(Collectors.joining(","));
    for (NodeProcess node : nodes) {
      node.start(List.of("--initial-cluster", members));
    }
    return List.copyOf(nodes);
  }

  /**
   * A node that is not a member yet, not started: start it with {@code --join} (it is stopped and
   * cleaned up with the others).
   */
  NodeProcess newNode(String name) {
    NodeProcess node =
        new NodeProcess(
            name, freePorts(1).get(0), dataDir.resolve(name), SECRET, serverJar(), logDir);
    nodes.add(node);
    return node;
  }

  List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  List<NodeProcess> live() {
    return nodes.stream().filter(NodeProcess::isAlive).toList();
  }

  List<NodeProcess> liveExcept(NodeProcess excluded) {
    return live().stream().filter(node -> node != excluded).toList();
  }

  /** Waits until every live node names the same live leader; returns that leader. */
  NodeProcess awaitLeader() {
    return awaitLeader(live());
  }

  /**
   * Waits until all of {@code among} name the same leader, one of them, which reports itself as
   * leader in {@code GET_STATUS}; returns it.
   */
  NodeProcess awaitLeader(List<NodeProcess> among) {
    String leaderId =
        await("a leader that all of " + among + " agree on")
            .atMost(LEADER_TIMEOUT)
            .pollInterval(POLL_INTERVAL)
            .ignoreExceptions()
            .until(() -> agreedLeader(among), Optional::isPresent)
            .orElseThrow();
    return among.stream().filter(node -> node.id().equals(leaderId)).findFirst().orElseThrow();
  }

  private static Optional<String> agreedLeader(List<NodeProcess> among) {
    Set<Optional<String>> named = new HashSet<>();
    for (NodeProcess node : among) {
      named.add(node.leaderId());
    }
    if (named.size() != 1) {
      return Optional.empty();
    }
    return named.iterator().next().flatMap(id -> leaderAmong(among, id));
  }

  private static Optional<String> leaderAmong(List<NodeProcess> among, String id) {
    return among.stream()
        .filter(node -> node.id().equals(id) && "leader".equals(node.status().get("role")))
        .map(NodeProcess::id)
        .findFirst();
  }

  /**
   * Waits until every live node has applied the same log prefix: equal applied index and equal
   * {@code state_digest} of the key-value state in {@code GET_STATUS}.
   */
  void awaitSameState() {
    await("the same applied index and state digest on " + live())
        .atMost(CATCH_UP_TIMEOUT)
        .pollInterval(POLL_INTERVAL)
        .ignoreExceptions()
        .until(
            () ->
                live().stream()
                    .map(NodeProcess::status)
                    .map(status -> List.of(status.get("applied_index"), status.get("state_digest")))
                    .distinct()
                    .count(),
            distinct -> distinct == 1);
  }

  private static Path serverJar() {
    String property = System.getProperty("tinykv.jar");
    if (property == null || !Files.isRegularFile(Path.of(property))) {
      throw new IllegalStateException(
          "the server jar "
              + (property == null ? "(system property tinykv.jar is not set)" : property)
              + " is missing: build it with ./mvnw package -pl raft-node -am, and run these"
              + " tests through Maven (failsafe sets tinykv.jar)");
    }
    return Path.of(property);
  }

  /** Ports that were free a moment ago, all different (each socket is held until all are). */
  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + NodeProcess.HOST, e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // it was only a probe
        }
      }
    }
  }

  private void saveRaftLogs() throws IOException {
    for (NodeProcess node : nodes) {
      if (Files.isRegularFile(node.raftLog())) {
        Files.copy(
            node.raftLog(),
            logDir.resolve(node.name() + ".raft.log"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
