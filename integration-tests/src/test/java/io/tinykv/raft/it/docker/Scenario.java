package io.tinykv.raft.it.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.it.linearizability.History;
import io.tinykv.raft.it.linearizability.HistoryMinimizer;
import io.tinykv.raft.it.linearizability.HistoryReport;
import io.tinykv.raft.it.linearizability.LinearizabilityChecker;
import io.tinykv.raft.it.linearizability.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.TestInfo;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One run of the partition suite: a cluster, a workload recording its history, a seeded {@link
 * Nemesis}, and the checks at the end (after a full heal): the cluster is writable again within
 * {@link #AVAILABILITY_BOUND}, every node converges to the same state, the history (plus a final
 * read of every key on every node) is linearizable, and every acknowledged unique-key write is
 * readable on every node.
 *
 * <p>The seed is {@code -Dtinykv.docker.seed} if given, otherwise drawn at random; it is printed
 * first, with the command that replays it.
 */
final class Scenario {

  /**
   * How soon after a fault that leaves a connected majority (or after a heal) a write must succeed
   * through the nodes of that majority: an election takes 150-300 ms (pre-vote adds a round), a
   * leader cut off from its majority steps down after one election timeout (check-quorum), and the
   * JVMs of five containers share two cores with the clients; the rest is slack for a loaded CI
   * machine. Raft promises the write; the bound is ours.
   */
  static final Duration AVAILABILITY_BOUND = Duration.ofSeconds(15);

  static final List<String> KEYS = List.of("k0", "k1", "k2");

  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration WORKLOAD_CAP = Duration.ofMinutes(6);
  private static final int MAX_OPS_PER_CLIENT = 20_000;
  private static final int THINK_MILLIS = 40;

  /** How long the final reads retry a read refused as retryable (leadership moving). */
  private static final Duration FINAL_READ_PATIENCE = Duration.ofSeconds(30);

  /** Fewer would make the linearizability check nearly vacuous: the clients barely ran. */
  private static final long MIN_SUCCESSFUL_OPERATIONS = 200;

  private static final Duration SEARCH_BUDGET_PER_KEY = Duration.ofMinutes(2);

  private final DockerCluster cluster;
  private final String testName;
  private final long seed;
  private final History history;
  private final List<DockerNode> nodes;
  private final Nemesis nemesis;
  private final Workload workload;
  private final AtomicInteger probes = new AtomicInteger();

  private Scenario(DockerCluster cluster, TestInfo info, int size, int clients) {
    this.cluster = cluster;
    this.testName =
        info.getTestClass().orElseThrow().getSimpleName()
            + "#"
            + info.getTestMethod().orElseThrow().getName();
    this.seed = chooseSeed();
    System.out.printf(
        "%s seed=%d (replay: ./mvnw -B verify -pl integration-tests -am -Dtest=NONE"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='%s' -Dtinykv.docker.seed=%d)%n",
        testName, seed, testName, seed);
    this.nodes = cluster.start(size);
    cluster.awaitLeader(nodes);
    this.history = new History(); // its clock starts with a ready cluster
    this.nemesis = new Nemesis(cluster, history::now, seed);
    this.workload =
        new Workload(
            history,
            nemesis::members,
            seed,
            new Workload.Config(
                clients, KEYS, CLIENT_TIMEOUT, WORKLOAD_CAP, MAX_OPS_PER_CLIENT, THINK_MILLIS));
  }

  /** Starts a cluster of {@code size} nodes, waits for its leader, and starts the clients. */
  static Scenario start(DockerCluster cluster, TestInfo info, int size, int clients) {
    Scenario scenario = new Scenario(cluster, info, size, clients);
    scenario.nemesis.note("workload starts: " + clients + " clients on " + KEYS);
    cluster.closeAfterTest(scenario.workload);
    scenario.workload.start();
    return scenario;
  }

  private static long chooseSeed() {
    String given = System.getProperty("tinykv.docker.seed", "").trim();
    if (given.isEmpty()) {
      return ThreadLocalRandom.current().nextLong(1, 1L << 48);
    }
    try {
      return Long.parseLong(given);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-Dtinykv.docker.seed must be a whole number (as printed by a run), not " + given, e);
    }
  }

  long seed() {
    return seed;
  }

  Nemesis nemesis() {
    return nemesis;
  }

  List<DockerNode> nodes() {
    return nodes;
  }

  History history() {
    return history;
  }

  /** The members that are not killed, paused or disconnected. */
  List<DockerNode> healthy() {
    return nemesis.members().stream().filter(DockerNode::healthy).toList();
  }

  /** The members but {@code excluded}. */
  List<DockerNode> except(DockerNode excluded) {
    return nemesis.members().stream().filter(n -> n != excluded).toList();
  }

  /**
   * Removes {@code removed} from the cluster with {@code REMOVE_NODE}, sent through the nodes of
   * {@code through} in turn until one of them reports a configuration in force without it (within
   * {@link #AVAILABILITY_BOUND}); then retires it.
   */
  void removeNode(DockerNode removed, List<DockerNode> through) {
    nemesis.note("REMOVE_NODE " + removed + " through " + through);
    AtomicInteger turn = new AtomicInteger();
    await("REMOVE_NODE " + removed + " through one of " + through)
        .atMost(AVAILABILITY_BOUND)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(
            () -> {
              DockerNode via = through.get(turn.getAndIncrement() % through.size());
              // Done when a member's configuration in force (not joint) no longer has it: a
              // REMOVE_NODE whose reply was lost may have taken effect, and then is not repeated.
              Map<String, String> status = via.status();
              if ("no".equals(status.get("joint_consensus"))
                  && !status.getOrDefault("voters", "").contains(removed.id())
                  && !status.getOrDefault("learners", "").contains(removed.id())) {
                return true;
              }
              via.admin(DockerNode.Admin.REMOVE_NODE, removed.id());
              return false;
            });
    nemesis.note(removed + " removed");
    nemesis.retire(removed);
  }

  /** Lets the workload run against the current faults for {@code duration}. */
  void hold(Duration duration) {
    DockerNode.sleep(duration);
  }

  /** Holds for a time drawn from the seed between {@code minMillis} and {@code maxMillis}. */
  void holdRandomly(int minMillis, int maxMillis) {
    hold(Duration.ofMillis(minMillis + nemesis.random().nextInt(maxMillis - minMillis + 1)));
  }

  /**
   * Asserts that a write through some node of {@code through} succeeds within {@link
   * #AVAILABILITY_BOUND}, trying them in turn; returns how long it took.
   */
  Duration assertWritable(List<DockerNode> through, String when) {
    long start = System.nanoTime();
    String key = "probe-" + probes.incrementAndGet();
    AtomicInteger turn = new AtomicInteger();
    await("a write through one of " + through + " " + when)
        .atMost(AVAILABILITY_BOUND)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> probe(through.get(turn.getAndIncrement() % through.size()), key));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    nemesis.note("writable " + when + " after " + took.toMillis() + " ms");
    return took;
  }

  private static boolean probe(DockerNode node, String key) {
    try (Jedis jedis = node.client(1_000)) {
      return "OK".equals(jedis.set(key, "1"));
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Heals everything, then checks the run: writable again within the bound, one leader, the same
   * state on every node, a linearizable history, no acknowledged write lost. The history and its
   * report are written to the cluster's artifacts directory whatever the outcome.
   */
  void finish() {
    nemesis.healAll();
    List<DockerNode> members = nemesis.members();
    assertWritable(members, "after the full heal");
    cluster.awaitLeader(members);
    nemesis.note("workload stops");
    workload.close();
    cluster.awaitSameState(members);
    nemesis.note("every node has the same applied index and state digest");
    finalReads();
    checkHistory();
    assertNoAcknowledgedWriteLost();
  }

  /**
   * A read of every key on every member, recorded in the history (clients 100, 101, ...). A read
   * refused as retryable (e.g. {@code -TRYAGAIN} when leadership moves on a loaded machine) is
   * recorded as failed and tried again, for up to {@link #FINAL_READ_PATIENCE}.
   */
  private void finalReads() {
    long deadline = System.nanoTime() + FINAL_READ_PATIENCE.toNanos();
    for (int i = 0; i < nodes.size(); i++) {
      DockerNode node = nodes.get(i);
      if (!nemesis.members().contains(node)) {
        continue;
      }
      for (String key : KEYS) {
        boolean done = false;
        while (!done) {
          History.Pending read = history.invoke(100 + i, node.name(), Operation.Kind.GET, key, 0);
          try (Jedis jedis = node.client(5_000)) {
            String value = jedis.get(key);
            read.ok(value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value)));
            done = true;
          } catch (JedisException e) {
            read.failed("final read: " + e.getMessage()); // a read has no effect either way
            if (System.nanoTime() > deadline) {
              throw e;
            }
            DockerNode.sleep(Duration.ofMillis(200));
          }
        }
      }
    }
  }

  private void checkHistory() {
    List<Operation> operations = history.operations();
    LinearizabilityChecker.Result result =
        new LinearizabilityChecker(SEARCH_BUDGET_PER_KEY).check(operations);
    Map<Operation.Outcome, Long> outcomes = new TreeMap<>();
    for (Operation op : operations) {
      outcomes.merge(op.outcome(), 1L, Long::sum);
    }
    StringBuilder header = new StringBuilder();
    header
        .append(testName)
        .append(" seed=")
        .append(seed)
        .append(" (replay with -Dtinykv.docker.seed=")
        .append(seed)
        .append(")")
        .append(System.lineSeparator())
        .append(
            String.format(
                Locale.ROOT,
                "operations: %s; errors seen: %s%n",
                outcomes,
                new TreeMap<>(workload.errors())))
        .append("Nodes: ");
    for (DockerNode node : nodes) {
      header.append(node.name()).append('=').append(node.id()).append(' ');
    }
    header.append(System.lineSeparator()).append("Faults:").append(System.lineSeparator());
    for (String line : nemesis.timeline()) {
      header.append("  ").append(line).append(System.lineSeparator());
    }
    Path dir = cluster.artifacts();
    List<Path> files =
        HistoryReport.write(
            dir,
            header.toString(),
            operations,
            result,
            new HistoryMinimizer(Duration.ofSeconds(10), Duration.ofMinutes(2)));
    System.out.printf(
        "%s: %d operations %s, checked in %s%n%s",
        testName,
        operations.size(),
        outcomes,
        result.keys().values().stream().map(k -> k.took().toMillis() + " ms").toList(),
        result.summary());
    assertThat(outcomes.getOrDefault(Operation.Outcome.OK, 0L))
        .as("%s (seed %d): successful operations in the history", testName, seed)
        .isGreaterThanOrEqualTo(MIN_SUCCESSFUL_OPERATIONS);
    assertThat(result.isLinearizable())
        .as(
            "%s (seed %d): the history is not linearizable:%n%sSee %s",
            testName, seed, result.summary(), files)
        .isTrue();
  }

  private void assertNoAcknowledgedWriteLost() {
    Set<String> acknowledged = workload.acknowledgedUniqueKeys();
    assertThat(acknowledged).as("unique-key writes acknowledged during the run").isNotEmpty();
    List<String> keys = new ArrayList<>(acknowledged);
    for (DockerNode node : nemesis.members()) {
      Map<String, String> wrong = new TreeMap<>();
      for (int from = 0; from < keys.size(); from += 200) {
        List<String> batch = keys.subList(from, Math.min(keys.size(), from + 200));
        List<String> values =
            await("MGET of acknowledged keys on " + node)
                .atMost(FINAL_READ_PATIENCE)
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(JedisException.class)
                .until(
                    () -> {
                      try (Jedis jedis = node.client(10_000)) {
                        return jedis.mget(batch.toArray(new String[0]));
                      }
                    },
                    v -> v != null);
        for (int i = 0; i < batch.size(); i++) {
          if (!batch.get(i).equals(values.get(i))) {
            wrong.put(batch.get(i), String.valueOf(values.get(i)));
          }
        }
      }
      assertThat(wrong)
          .as(
              "%s (seed %d): acknowledged writes (%d) lost on %s",
              testName, seed, keys.size(), node)
          .isEmpty();
    }
    nemesis.note(keys.size() + " acknowledged unique-key writes readable on every node");
  }

  /** Operations through {@code node} invoked in [from, to) and completed before {@code to}. */
  List<Operation> operationsThrough(DockerNode node, long from, long to) {
    return history.operations().stream()
        .filter(op -> op.node().equals(node.name()))
        .filter(op -> op.invokedNanos() >= from && op.completedNanos() < to)
        .toList();
  }
}
