package io.tinykv.raft.it.docker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The faults of the partition suite, applied to a {@link DockerCluster}: kill (SIGKILL) and
 * restart, pause and resume, isolating a node by disconnecting it from the network, and partial
 * partitions (majority/minority, an isolated leader, a bridge, a ring) by cutting links in the
 * {@link Firewall}; {@link #healAll()} undoes everything. Every fault is logged on the history's
 * clock ({@link #timeline()}), so a failing history can be read next to the faults.
 *
 * <p>Randomness comes from the test's seed only ({@link #random()}), so the same seed gives the
 * same schedule of faults (the timing of a real cluster still varies). One test thread uses it.
 */
final class Nemesis {

  private final DockerCluster cluster;
  private final Firewall firewall;
  private final LongSupplier clock;
  private final Random random;
  private final List<String> timeline = Collections.synchronizedList(new ArrayList<>());

  /** Read by the clients' threads too. */
  private final List<DockerNode> retired = new CopyOnWriteArrayList<>();

  Nemesis(DockerCluster cluster, LongSupplier clock, long seed) {
    this.cluster = cluster;
    this.firewall = cluster.firewall();
    this.clock = clock;
    this.random = new Random(seed);
  }

  /** The seeded source every random choice of the test draws from. */
  Random random() {
    return random;
  }

  /** The faults so far, one line each, with the time on the history's clock. */
  List<String> timeline() {
    synchronized (timeline) {
      return List.copyOf(timeline);
    }
  }

  /** Adds a line to the timeline (and prints it). */
  void note(String event) {
    String line = String.format(Locale.ROOT, "[%10.3f ms] %s", clock.getAsLong() / 1e6, event);
    timeline.add(line);
    System.out.println("nemesis " + line);
  }

  void kill(DockerNode node) {
    note("kill -9 " + node);
    node.kill();
  }

  void restart(DockerNode node) {
    note("restart " + node);
    node.restart();
  }

  void pause(DockerNode node) {
    note("pause " + node);
    node.pause();
  }

  void resume(DockerNode node) {
    note("resume " + node);
    node.resume();
  }

  /** Whole-node isolation: the container leaves the network (clients cannot reach it either). */
  void isolate(DockerNode node) {
    note("disconnect " + node + " from the network");
    node.disconnect();
  }

  /**
   * Cuts every link between nodes of different groups (nodes in no group keep all their links).
   * Clients on the host still reach every node.
   */
  void partition(List<List<DockerNode>> groups) {
    note("partition " + groups);
    for (int i = 0; i < groups.size(); i++) {
      for (int j = i + 1; j < groups.size(); j++) {
        for (DockerNode a : groups.get(i)) {
          for (DockerNode b : groups.get(j)) {
            firewall.cut(a.ip(), b.ip());
          }
        }
      }
    }
  }

  /** Cuts {@code node} off from every other node (by firewall: clients still reach it). */
  void isolateByFirewall(DockerNode node) {
    List<DockerNode> rest = new ArrayList<>(cluster.nodes());
    rest.remove(node);
    partition(List.of(List.of(node), rest));
  }

  /**
   * A majority and a minority, the leader ({@code leader}) on the side given; the other members of
   * each side are drawn at random. Returns the majority side.
   */
  List<DockerNode> splitMajorityMinority(DockerNode leader, boolean leaderInMajority) {
    List<DockerNode> others = new ArrayList<>(cluster.nodes());
    others.remove(leader);
    Collections.shuffle(others, random);
    int size = cluster.nodes().size();
    int minority = (size - 1) / 2;
    List<DockerNode> majoritySide = new ArrayList<>();
    List<DockerNode> minoritySide = new ArrayList<>();
    (leaderInMajority ? majoritySide : minoritySide).add(leader);
    for (DockerNode n : others) {
      (minoritySide.size() < minority ? minoritySide : majoritySide).add(n);
    }
    partition(List.of(minoritySide, majoritySide));
    return List.copyOf(majoritySide);
  }

  /**
   * Two halves that share one node: with nodes in the given order, the first {@code n/2} and the
   * last {@code n/2} cannot talk to each other; the middle one talks to everyone.
   */
  void bridge(List<DockerNode> order) {
    int half = order.size() / 2;
    note("bridge through " + order.get(half));
    partitionQuietly(
        List.of(order.subList(0, half), order.subList(order.size() - half, order.size())));
  }

  /** Each node talks only to its two neighbours in {@code order} (a ring). */
  void ring(List<DockerNode> order) {
    note("ring " + order);
    int n = order.size();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int distance = Math.min(j - i, n - (j - i));
        if (distance > 1) {
          firewall.cut(order.get(i).ip(), order.get(j).ip());
        }
      }
    }
  }

  private void partitionQuietly(List<List<DockerNode>> groups) {
    for (DockerNode a : groups.get(0)) {
      for (DockerNode b : groups.get(1)) {
        firewall.cut(a.ip(), b.ip());
      }
    }
  }

  /** The nodes in an order drawn from the seed. */
  List<DockerNode> shuffled() {
    List<DockerNode> order = new ArrayList<>(cluster.nodes());
    Collections.shuffle(order, random);
    return order;
  }

  /**
   * Stops a node that was removed from the cluster for good (SIGKILL), as an operator would; heals
   * leave it stopped.
   */
  void retire(DockerNode node) {
    note("retire " + node + " (removed from the cluster): kill -9, never restarted");
    retired.add(node);
    if (!node.killed()) {
      node.kill();
    }
  }

  /** The nodes not {@linkplain #retire retired}. */
  List<DockerNode> members() {
    return cluster.nodes().stream().filter(n -> !retired.contains(n)).toList();
  }

  /** Undoes every fault: links restored, nodes reconnected, resumed and restarted. */
  void healAll() {
    note("heal all");
    firewall.healAll();
    for (DockerNode node : members()) {
      if (node.disconnected()) {
        node.reconnect();
      }
      if (node.paused()) {
        node.resume();
      }
      if (node.killed()) {
        node.restart();
      }
    }
  }
}
