package io.tinykv.raft.benchmarks.resp;

import io.tinykv.raft.benchmarks.load.ChildProcess;
import io.tinykv.raft.benchmarks.load.LoadOptions;
import io.tinykv.raft.benchmarks.load.LoadRunner;
import io.tinykv.raft.benchmarks.load.Measurement;
import io.tinykv.raft.benchmarks.load.Phase;
import io.tinykv.raft.benchmarks.load.PhaseResult;
import io.tinykv.raft.benchmarks.load.ProcessCpu;
import io.tinykv.raft.benchmarks.load.Report;
import io.tinykv.raft.benchmarks.load.RunContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench resp}: load over RESP (Lettuce) against a TinyKV cluster that it starts from the
 * server jar (3 or 5 node processes on 127.0.0.1), or against running nodes ({@code --targets}).
 */
@Command(
    name = "resp",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "RESP path: SET/GET through Lettuce, as Redis clients use TinyKV. Starts a local cluster",
      "from raft-node/target/tinykv.jar unless --targets names running nodes (127.0.0.1 only)."
    })
public final class RespBench implements Callable<Integer> {

  @Mixin LoadOptions load;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Nodes to start: 3 or 5 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--base-port",
      defaultValue = "18101",
      description = "Started nodes listen on 127.0.0.1:base+i (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--jar",
      defaultValue = "raft-node/target/tinykv.jar",
      description = "The server jar (default ${DEFAULT-VALUE}).")
  Path jar;

  @Option(
      names = "--jvm-opts",
      defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC",
      description = "JVM options of every started node (default ${DEFAULT-VALUE}).")
  String jvmOptions;

  @Option(
      names = "--targets",
      split = ",",
      paramLabel = "host:port",
      description = "Running nodes to use instead of starting any (loopback addresses only).")
  List<String> targets = new ArrayList<>();

  @Option(
      names = "--through",
      defaultValue = "leader",
      description = "Send the load to the leader or to a follower (default ${DEFAULT-VALUE}).")
  String through;

  @Option(
      names = "--connections",
      defaultValue = "0",
      description =
          "Client connections (default 0: one per request in flight, at most 256, like"
              + " redis-benchmark -c).")
  int connections;

  @Option(names = "--data", description = "Data directory of started nodes (default: temporary).")
  Path dataRoot;

  @Option(names = "--keep-data", description = "Keep the started nodes' data and logs.")
  boolean keepData;

  private record Node(String host, int port, long pid) {}

  @Override
  public Integer call() throws Exception {
    if (!through.equals("leader") && !through.equals("follower")) {
      throw new IllegalArgumentException("--through is leader or follower, got " + through);
    }
    List<Phase> phases = load.phases();
    Files.createDirectories(load.out);
    List<ChildProcess> children = new ArrayList<>();
    Path root = null;
    try {
      List<Node> cluster;
      if (targets.isEmpty()) {
        if (nodes != 3 && nodes != 5) {
          throw new IllegalArgumentException("--nodes must be 3 or 5, got " + nodes);
        }
        if (!Files.isRegularFile(jar)) {
          throw new IllegalArgumentException(
              jar + " does not exist: build it with ./tinykv build (or give --jar)");
        }
        root =
            dataRoot != null
                ? Files.createDirectories(dataRoot)
                : Files.createTempDirectory("tinykv-resp-bench-");
        cluster = startCluster(root, children);
      } else {
        cluster = new ArrayList<>();
        for (String target : targets) {
          int colon = target.lastIndexOf(':');
          String host = target.substring(0, colon);
          if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException(
                "this benchmark only sends load to loopback addresses, not " + target);
          }
          int port = Integer.parseInt(target.substring(colon + 1));
          long pid = Long.parseLong(RespCluster.info(host, port).getOrDefault("process_id", "-1"));
          cluster.add(new Node(host, port, pid));
        }
      }
      Node leader = awaitLeader(cluster, Duration.ofSeconds(60));
      Node target =
          through.equals("leader")
              ? leader
              : cluster.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      System.out.printf(
          Locale.ROOT,
          "leader %s:%d; load goes to %s:%d%n",
          leader.host(),
          leader.port(),
          target.host(),
          target.port());
      Map<String, String> context = RunContext.machine();
      context.put(
          "path", "RESP over TCP (Lettuce " + lettuceVersion() + "), through the " + through);
      context.put("workload", load.workload().toString());
      context.put(
          "cluster",
          cluster.size()
              + " TinyKV nodes"
              + (children.isEmpty()
                  ? " (already running)"
                  : " from " + jar + ", JVM " + jvmOptions));
      List<Measurement> measurements = new ArrayList<>();
      for (Phase phase : phases) {
        int conns =
            connections > 0
                ? connections
                : Math.min(phase.isOpenLoop() ? 64 : phase.concurrency(), 256);
        try (RespTarget resp = new RespTarget(target.host(), target.port(), conns)) {
          Map<String, String> before = RespCluster.status(leader.host(), leader.port());
          double[] cpuBefore = cpu(cluster);
          PhaseResult result = new LoadRunner(resp, load.workload(), load.seed).run(phase);
          double[] cpuAfter = cpu(cluster);
          Map<String, String> after = RespCluster.status(leader.host(), leader.port());
          List<Double> cpu = new ArrayList<>();
          for (int i = 0; i < cpuBefore.length; i++) {
            cpu.add(cpuAfter[i] - cpuBefore[i]);
          }
          if (cpu.stream().anyMatch(c -> Double.isNaN(c))) {
            cpu.clear();
          }
          Measurement m =
              new Measurement(
                  "tinykv",
                  "resp",
                  result,
                  cpu,
                  counterDelta(before, after, "entries_written"),
                  counterDelta(before, after, "fsyncs"));
          System.out.printf(
              Locale.ROOT,
              "   %-8s %-9s %,10.0f ops/s  p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms"
                  + "  nodes' CPU %.1f s (%.3f s/1k)  errors %s%n",
              phase.name(),
              phase.shape() + "/" + conns + "conn",
              result.throughput(),
              result.millisAt(50),
              result.millisAt(99),
              result.millisAt(99.9),
              result.maxMillis(),
              m.cpuSeconds(),
              m.cpuSecondsPer1000(),
              result.errors());
          measurements.add(m);
        }
      }
      Report report = new Report("TinyKV RESP benchmark", context, measurements);
      System.out.println();
      System.out.print(report.table(Optional.empty()));
      report.writeJson(load.out.resolve("report.json"));
      report.writeHtml(load.out.resolve("report.html"));
      System.out.println("wrote " + load.out.resolve("report.json") + " and report.html");
      return 0;
    } finally {
      for (ChildProcess child : children) {
        child.close();
      }
      if (root != null && !keepData) {
        deleteTree(root);
      }
    }
  }

  private List<Node> startCluster(Path root, List<ChildProcess> children) throws IOException {
    String secret = HexFormat.of().formatHex(SecureRandom.getSeed(12));
    List<String> members = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      members.add("127.0.0.1:" + (basePort + i));
    }
    List<Node> cluster = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      int port = basePort + i;
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of(jvmOptions.trim().split("\\s+", -1)));
      command.addAll(
          List.of(
              "-jar",
              jar.toString(),
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(port),
              "--root",
              root.resolve("n" + (i + 1)).toString(),
              "--initial-cluster",
              String.join(",", members)));
      ChildProcess child =
          ChildProcess.start(
              "tinykv-" + port,
              command,
              Map.of("TINYKV_SECRET", secret),
              root.resolve("n" + (i + 1) + ".console.log"));
      children.add(child);
      cluster.add(new Node("127.0.0.1", port, child.pid()));
    }
    return cluster;
  }

  /** Polls until every node names the same leader; fails after {@code timeout}. */
  private static Node awaitLeader(List<Node> cluster, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      List<String> seen = new ArrayList<>();
      for (Node node : cluster) {
        seen.add(RespCluster.leaderAddress(node.host(), node.port()).orElse(""));
      }
      String first = seen.get(0);
      if (!first.isEmpty() && seen.stream().allMatch(first::equals)) {
        for (Node node : cluster) {
          if ((node.host() + ":" + node.port()).equals(first)) {
            return node;
          }
        }
        throw new IllegalStateException("the leader " + first + " is not among " + cluster);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the nodes did not agree on a leader within " + timeout);
  }

  private static long counterDelta(
      Map<String, String> before, Map<String, String> after, String key) {
    try {
      return Long.parseLong(after.get(key)) - Long.parseLong(before.get(key));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static double[] cpu(List<Node> cluster) {
    double[] cpu = new double[cluster.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = cluster.get(i).pid() > 0 ? ProcessCpu.secondsOf(cluster.get(i).pid()) : Double.NaN;
    }
    return cpu;
  }

  private static String lettuceVersion() {
    String version = io.lettuce.core.RedisClient.class.getPackage().getImplementationVersion();
    return version == null ? "" : version;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
