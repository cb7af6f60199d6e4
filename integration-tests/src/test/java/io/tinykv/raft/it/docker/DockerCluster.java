package io.tinykv.raft.it.docker;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A TinyKV cluster in containers for one test method: a network of its own ({@code
 * tinykv-it-<run>}, a /24 subnet of 10.213.0.0/16 picked at random), one container per node at a
 * fixed address, and a {@link Firewall} chain for partial partitions. Names carry a random run id,
 * so concurrent runs on one engine do not collide.
 *
 * <p>Register it as a field ({@code @RegisterExtension final DockerCluster cluster = new
 * DockerCluster();}); the test is skipped (or fails, see {@link DockerEnvironment#REQUIRE}) where
 * Docker is unusable. After the test, passed or failed, the containers, network and firewall chain
 * are removed; if it failed, each node's {@code raft.log} and console output are first copied into
 * {@link #artifacts()} ({@code target/it-logs/docker/<class>/<method>/}), and that directory is
 * printed.
 */
final class DockerCluster implements BeforeEachCallback, AfterEachCallback {

  static final String SECRET = "docker-it-secret";

  private static final String LABEL = "io.tinykv.it.run";
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int SUBNET_ATTEMPTS = 20;

  /** Clusters not yet removed, for the shutdown hook. */
  private static final Set<DockerCluster> ACTIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ACTIVE.forEach(cluster -> cluster.removeAll().forEach(System.err::println)),
                "remove-tinykv-containers"));
  }

  private DockerClient docker;
  private String image;
  private String run;
  private Path artifacts;
  private String networkId;
  private Firewall firewall;
  private final List<DockerNode> nodes = new ArrayList<>();
  private final List<AutoCloseable> closeFirst = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    artifacts =
        Path.of(System.getProperty("tinykv.it.logs", "target/it-logs"))
            .resolve("docker")
            .resolve(context.getRequiredTestClass().getSimpleName())
            .resolve(context.getRequiredTestMethod().getName());
    deleteRecursively(artifacts);
    Files.createDirectories(artifacts);
    docker = DockerEnvironment.client(); // skips or fails the test without Docker
    image = NodeImage.ensure(docker);
    byte[] id = new byte[4];
    ThreadLocalRandom.current().nextBytes(id);
    run = HexFormat.of().formatHex(id);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<RuntimeException> problems = new ArrayList<>();
    for (AutoCloseable resource : closeFirst) {
      try {
        resource.close();
      } catch (Exception e) {
        // The test failed already (a clean run closes its clients itself); say so and go on.
        System.err.println("while cleaning up after the test: " + e);
      }
    }
    closeFirst.clear();
    if (context.getExecutionException().isPresent() && !nodes.isEmpty()) {
      try {
        for (DockerNode node : nodes) {
          node.saveLogs(artifacts);
        }
        if (firewall != null) {
          Files.writeString(artifacts.resolve("firewall.txt"), firewall.rules());
        }
      } catch (IOException | RuntimeException e) {
        problems.add(new IllegalStateException("could not save the node logs", e));
      }
      System.err.println("TinyKV container logs of the failed test: " + artifacts.toAbsolutePath());
    }
    problems.addAll(removeAll());
    if (!problems.isEmpty()) {
      RuntimeException first = problems.get(0);
      problems.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  /**
   * Removes the containers, the firewall chain and the network; returns what went wrong. Also run
   * by a shutdown hook for a test JVM that is interrupted in the middle of a test.
   */
  private synchronized List<RuntimeException> removeAll() {
    ACTIVE.remove(this);
    List<RuntimeException> problems = new ArrayList<>();
    for (DockerNode node : nodes) {
      try {
        if (node.paused()) {
          node.resume();
        }
        docker
            .removeContainerCmd(node.containerId())
            .withForce(true)
            .withRemoveVolumes(true)
            .exec();
      } catch (DockerException e) {
        problems.add(e);
      }
    }
    nodes.clear();
    if (firewall != null) {
      try {
        firewall.close();
      } catch (RuntimeException e) {
        problems.add(e);
      }
      firewall = null;
    }
    if (networkId != null) {
      try {
        docker.removeNetworkCmd(networkId).exec();
      } catch (DockerException e) {
        problems.add(e);
      }
      networkId = null;
    }
    return problems;
  }

  /** Closes {@code resource} (e.g. the clients) after the test, before the containers go. */
  void closeAfterTest(AutoCloseable resource) {
    closeFirst.add(resource);
  }

  /** Where this test's history, reports and (on failure) node logs go. */
  Path artifacts() {
    return artifacts;
  }

  Firewall firewall() {
    return firewall;
  }

  /** Starts {@code size} nodes with the same {@code --initial-cluster}; does not wait for them. */
  List<DockerNode> start(int size) {
    if (!nodes.isEmpty()) {
      throw new IllegalStateException("this test already started a cluster: " + nodes);
    }
    ACTIVE.add(this);
    String prefix = createNetwork();
    firewall = new Firewall(run);
    firewall.install();
    List<String> ips = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      ips.add(prefix + (10 + i));
    }
    String members =
        ips.stream().map(ip -> ip + ":" + DockerNode.PORT).collect(Collectors.joining(","));
    for (int i = 1; i <= size; i++) {
      String ip = ips.get(i - 1);
      CreateContainerResponse created =
          docker
              .createContainerCmd(image)
              .withName("tinykv-it-" + run + "-n" + i)
              .withLabels(Map.of(LABEL, run))
              .withEnv("TINYKV_SECRET=" + SECRET)
              .withHostConfig(HostConfig.newHostConfig().withNetworkMode(networkName()))
              .withIpv4Address(ip)
              .withCmd(
                  "--root",
                  "/data",
                  "--host",
                  ip,
                  "--port",
                  String.valueOf(DockerNode.PORT),
                  "--initial-cluster",
                  members)
              .exec();
      nodes.add(new DockerNode(docker, "n" + i, created.getId(), ip, networkId));
    }
    for (DockerNode node : nodes) {
      docker.startContainerCmd(node.containerId()).exec();
    }
    return List.copyOf(nodes);
  }

  private String networkName() {
    return "tinykv-it-" + run;
  }

  /** Creates the network on a free /24 of 10.213.0.0/16; returns the prefix ("10.213.x."). */
  private String createNetwork() {
    DockerException last = null;
    for (int attempt = 0; attempt < SUBNET_ATTEMPTS; attempt++) {
      String prefix = "10.213." + ThreadLocalRandom.current().nextInt(256) + ".";
      try {
        networkId =
            docker
                .createNetworkCmd()
                .withName(networkName())
                .withDriver("bridge")
                .withLabels(Map.of(LABEL, run))
                .withIpam(
                    new Network.Ipam()
                        .withConfig(
                            new Network.Ipam.Config()
                                .withSubnet(prefix + "0/24")
                                .withGateway(prefix + "1")))
                .exec()
                .getId();
        return prefix;
      } catch (DockerException e) {
        last = e; // most likely the subnet overlaps another network's: try another
      }
    }
    throw new IllegalStateException("could not create a network for the test", last);
  }

  List<DockerNode> nodes() {
    return List.copyOf(nodes);
  }

  DockerNode node(String id) {
    return nodes.stream()
        .filter(n -> n.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + id + " in " + nodes));
  }

  /** Waits until all of {@code among} name the same leader, one of them; returns it. */
  DockerNode awaitLeader(List<DockerNode> among, Duration atMost) {
    String leaderId =
        await("a leader that all of " + among + " agree on")
            .atMost(atMost)
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(() -> agreedLeader(among), Optional::isPresent)
            .orElseThrow();
    return node(leaderId);
  }

  DockerNode awaitLeader(List<DockerNode> among) {
    return awaitLeader(among, LEADER_TIMEOUT);
  }

  private static Optional<String> agreedLeader(List<DockerNode> among) {
    Set<Optional<String>> named = new HashSet<>();
    for (DockerNode node : among) {
      named.add(node.leaderId());
    }
    if (named.size() != 1) {
      return Optional.empty();
    }
    return named
        .iterator()
        .next()
        .flatMap(
            id ->
                among.stream()
                    .filter(n -> n.id().equals(id) && "leader".equals(n.status().get("role")))
                    .map(DockerNode::id)
                    .findFirst());
  }

  /** Waits until {@code among} have applied the same log: equal applied index and state digest. */
  void awaitSameState(List<DockerNode> among) {
    await("the same applied index and state digest on " + among)
        .atMost(CATCH_UP_TIMEOUT)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () ->
                among.stream()
                    .map(DockerNode::status)
                    .map(s -> List.of(s.get("applied_index"), s.get("state_digest")))
                    .distinct()
                    .count(),
            distinct -> distinct == 1);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
