package io.tinykv.raft.benchmarks.library;

import io.tinykv.raft.benchmarks.load.ChildProcess;
import io.tinykv.raft.benchmarks.load.FsyncProbe;
import io.tinykv.raft.benchmarks.load.LoadOptions;
import io.tinykv.raft.benchmarks.load.Measurement;
import io.tinykv.raft.benchmarks.load.Phase;
import io.tinykv.raft.benchmarks.load.PhaseResult;
import io.tinykv.raft.benchmarks.load.Report;
import io.tinykv.raft.benchmarks.load.RunContext;
import io.tinykv.raft.benchmarks.load.ThreadCpu;
import io.tinykv.raft.benchmarks.load.Workload;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench library}: for each system in turn, starts a cluster of {@link NodeHost} processes on
 * 127.0.0.1, waits for a leader, and has the leader drive the load through its own library API;
 * meanwhile it reads every node's CPU time. One table and one report for all systems.
 */
@Command(
    name = "library",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Library path: the load runs inside the leader's process, through the library's own submit",
      "(TinyKV RaftNode.submit, SOFAJRaft Node.apply, Ratis RaftServer.submitClientRequestAsync);",
      "each system gets its own cluster of node processes, one after the other."
    })
public final class LibraryBench implements Callable<Integer> {

  @Mixin LoadOptions load;

  @Option(
      names = "--systems",
      split = ",",
      defaultValue = "tinykv",
      description =
          "Systems to run, in order (default ${DEFAULT-VALUE}); with -Ppeers also jraft, ratis.")
  List<String> systems;

  @Option(
      names = "--nodes",
      defaultValue = "3",
      description = "Nodes per cluster: 3 or 5 (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(
      names = "--base-port",
      defaultValue = "19100",
      description = "System k's node i listens on 127.0.0.1:base+10k+i (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(
      names = "--jvm-opts",
      defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC",
      description =
          "JVM options of every node process, the same for all systems (default ${DEFAULT-VALUE}).")
  String jvmOptions;

  @Option(
      names = "--data",
      description =
          "The nodes keep their data in a new run-* directory under this one (default"
              + " java.io.tmpdir); it must be on the disk you mean to measure.")
  Path dataRoot;

  @Option(names = "--keep-data", description = "Keep the nodes' data and logs after the run.")
  boolean keepData;

  @Option(
      names = "--fsync-probe",
      defaultValue = "5s",
      converter = LoadOptions.DurationConverter.class,
      description =
          "How long to time bare fsyncs on the data disk before the run, the floor of the c=1"
              + " bar (default ${DEFAULT-VALUE}).")
  Duration fsyncProbe;

  @Override
  public Integer call() throws Exception {
    if (nodes != 3 && nodes != 5) {
      throw new IllegalArgumentException("--nodes must be 3 or 5, got " + nodes);
    }
    Workload workload = load.workload();
    List<Phase> phases = load.phases();
    List<BenchSystem> chosen = new ArrayList<>();
    for (String name : systems) {
      chosen.add(BenchSystems.named(name));
    }
    Path root =
        dataRoot != null
            ? Files.createTempDirectory(Files.createDirectories(dataRoot), "run-")
            : Files.createTempDirectory("tinykv-bench-");
    Files.createDirectories(load.out);
    Map<String, String> context = RunContext.machine();
    context.put("path", "library (leader-local submit inside the leader's process)");
    context.put("workload", workload.toString());
    context.put("cluster", nodes + " node processes on 127.0.0.1, data under " + root);
    context.put("node JVM options", jvmOptions);
    context.put(
        "phases",
        phases.stream()
            .map(p -> p.name() + " " + p.shape() + " " + p.duration().toSeconds() + " s")
            .reduce((a, b) -> a + ", " + b)
            .orElse(""));
    for (BenchSystem system : chosen) {
      context.put(system.name(), system.version() + ": " + system.settings());
    }
    Histogram fsync = FsyncProbe.measure(root, fsyncProbe, 100_000);
    context.put("raw fsync of the data disk (before the run)", FsyncProbe.describe(fsync));
    System.out.println("raw fsync: " + FsyncProbe.describe(fsync));
    List<Measurement> measurements = new ArrayList<>();
    for (int k = 0; k < chosen.size(); k++) {
      BenchSystem system = chosen.get(k);
      System.out.printf(Locale.ROOT, "== %s (%s)%n", system.name(), system.version());
      measurements.addAll(
          runSystem(system, basePort + 10 * k, root.resolve(system.name()), workload, phases));
      context.put("load average after " + system.name(), RunContext.loadAverage());
    }
    String bar = bar(measurements, fsync.getValueAtPercentile(50) / 1000.0);
    if (!bar.isEmpty()) {
      context.put("the bar (issue 8)", bar.trim().replace('\n', ';'));
    }
    Report report = new Report("TinyKV library-path benchmark", context, measurements);
    Optional<String> baseline =
        systems.contains("tinykv") && systems.size() > 1 ? Optional.of("tinykv") : Optional.empty();
    System.out.println();
    System.out.print(report.table(baseline));
    System.out.print(bar);
    report.writeJson(load.out.resolve("report.json"));
    report.writeHtml(load.out.resolve("report.html"));
    System.out.println("wrote " + load.out.resolve("report.json") + " and report.html");
    if (!keepData) {
      deleteTree(root);
    }
    return 0;
  }

  private List<Measurement> runSystem(
      BenchSystem system, int firstPort, Path dir, Workload workload, List<Phase> phases)
      throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      ports.add(firstPort + i);
    }
    String secret = HexFormat.of().formatHex(SecureRandom.getSeed(12));
    String portList = ports.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).get();
    List<ChildProcess> children = new ArrayList<>();
    List<Measurement> out = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions.trim().split("\\s+", -1)));
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                NodeHost.class.getName(),
                system.name(),
                String.valueOf(i),
                portList,
                dir.resolve(NodeSpec.name(i)).toString()));
        children.add(
            ChildProcess.start(
                system.name() + "-" + NodeSpec.name(i),
                command,
                Map.of("BENCH_SECRET", secret),
                dir.resolve(NodeSpec.name(i) + ".log")));
      }
      for (Phase phase : phases) {
        // A long phase runs in slices so that it can follow the leader if an election moves it
        // (each slice asks the nodes who leads); the slices add up to one result.
        List<Measurement> slices = new ArrayList<>();
        Duration left = phase.duration();
        do {
          Duration slice = left.compareTo(SLICE) > 0 ? SLICE : left;
          left = left.minus(slice);
          ChildProcess leader = awaitLeader(children, Duration.ofSeconds(60));
          slices.add(
              runSlice(
                  system,
                  leader,
                  children,
                  new Phase(
                      phase.name(),
                      phase.concurrency(),
                      phase.ratePerSecond(),
                      slice,
                      phase.maxRequests()),
                  workload));
        } while (!left.isZero());
        Measurement m = merge(phase, slices);
        PhaseResult result = m.result();
        System.out.printf(
            Locale.ROOT,
            "   %-8s %-9s %,10.0f ops/s  p50 %.2f ms  p99 %.2f ms  p99.9 %.2f ms  max %.1f ms"
                + "  CPU %.1f s (%.3f s/1k)  errors %s  (leader %s)%n",
            phase.name(),
            phase.shape(),
            result.throughput(),
            result.millisAt(50),
            result.millisAt(99),
            result.millisAt(99.9),
            result.maxMillis(),
            m.cpuSeconds(),
            m.cpuSecondsPer1000(),
            result.errors(),
            leaders);
        leaders.clear();
        out.add(m);
      }
    } finally {
      for (ChildProcess child : children) {
        child.close();
      }
    }
    return out;
  }

  /** The longest stretch of load between two checks of who leads. */
  static final Duration SLICE = Duration.ofSeconds(10);

  /** The leaders that served the slices of the current phase, in order, without repeats. */
  private final List<String> leaders = new ArrayList<>();

  private Measurement runSlice(
      BenchSystem system,
      ChildProcess leader,
      List<ChildProcess> children,
      Phase phase,
      Workload workload)
      throws InterruptedException, IOException {
    if (leaders.isEmpty() || !leaders.get(leaders.size() - 1).equals(leader.name())) {
      leaders.add(leader.name());
    }
    leader.send(
        String.format(
            Locale.ROOT,
            "PHASE %s %d %d %d %d %d %d %s %d",
            phase.name(),
            phase.concurrency(),
            phase.ratePerSecond(),
            phase.duration().toMillis(),
            workload.keyBytes(),
            workload.keySpace(),
            workload.valueBytes(),
            Double.toString(workload.readRatio()),
            load.seed));
    String[] begin = leader.await("BEGIN", Duration.ofSeconds(30));
    double[] cpuBefore = cpu(children);
    Map<String, Double> threadsBefore = ThreadCpu.snapshot(leader.pid());
    String[] end = leader.await("END", phase.duration().plus(Duration.ofSeconds(90)));
    double[] cpuAfter = cpu(children);
    Map<String, Double> threads = ThreadCpu.delta(threadsBefore, ThreadCpu.snapshot(leader.pid()));
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(end[4]))) {
      props.load(in);
    }
    PhaseResult result = PhaseResult.fromProperties(props, "");
    List<Double> cpu = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      cpu.add(cpuAfter[i] - cpuBefore[i]);
    }
    return new Measurement(
        system.name(),
        "library",
        result,
        cpu,
        delta(begin[2], end[2]),
        delta(begin[3], end[3]),
        threads);
  }

  /** The slices of one phase as one measurement: results concatenated, CPU and counters added. */
  static Measurement merge(Phase phase, List<Measurement> slices) {
    List<PhaseResult> results = new ArrayList<>();
    double[] cpu = new double[slices.get(0).nodeCpuSeconds().size()];
    long entries = 0;
    long fsyncs = 0;
    Map<String, Double> threads = new java.util.TreeMap<>();
    for (Measurement slice : slices) {
      slice
          .leaderThreadCpu()
          .forEach((group, seconds) -> threads.merge(group, seconds, Double::sum));
      results.add(slice.result());
      for (int i = 0; i < cpu.length; i++) {
        cpu[i] += slice.nodeCpuSeconds().get(i);
      }
      entries = entries < 0 || slice.entriesWritten() < 0 ? -1 : entries + slice.entriesWritten();
      fsyncs = fsyncs < 0 || slice.fsyncs() < 0 ? -1 : fsyncs + slice.fsyncs();
    }
    List<Double> cpuList = new ArrayList<>();
    for (double c : cpu) {
      cpuList.add(c);
    }
    return new Measurement(
        slices.get(0).system(),
        slices.get(0).path(),
        PhaseResult.concat(phase, results),
        cpuList,
        entries,
        fsyncs,
        threads);
  }

  /**
   * The bar, checked on this run: at 256 in flight TinyKV at least twice the better peer's
   * throughput with a p99 no worse; at 1 in flight a median within twice the raw fsync median plus
   * 0.3 ms. Empty when the run lacks the phases.
   */
  static String bar(List<Measurement> measurements, double fsyncMedianMillis) {
    StringBuilder out = new StringBuilder();
    Optional<Measurement> tiny256 = find(measurements, "tinykv", "c256");
    Optional<Measurement> bestPeer =
        measurements.stream()
            .filter(m -> !m.system().equals("tinykv") && m.result().phase().name().equals("c256"))
            .max(java.util.Comparator.comparingDouble(m -> m.result().throughput()));
    if (tiny256.isPresent() && bestPeer.isPresent()) {
      PhaseResult t = tiny256.get().result();
      PhaseResult p = bestPeer.get().result();
      double ratio = t.throughput() / p.throughput();
      out.append(
          String.format(
              Locale.ROOT,
              "bar c=256: tinykv %.0f/s vs %s %.0f/s = %.2fx (need >= 2.00) %s; p99 %.2f ms vs"
                  + " %.2f ms %s%n",
              t.throughput(),
              bestPeer.get().system(),
              p.throughput(),
              ratio,
              ratio >= 2 ? "MET" : "NOT MET",
              t.millisAt(99),
              p.millisAt(99),
              t.millisAt(99) <= p.millisAt(99) ? "MET" : "NOT MET"));
    }
    Optional<Measurement> tiny1 = find(measurements, "tinykv", "c1");
    if (tiny1.isPresent()) {
      double limit = 2 * fsyncMedianMillis + 0.3;
      double p50 = tiny1.get().result().millisAt(50);
      out.append(
          String.format(
              Locale.ROOT,
              "bar c=1: tinykv p50 %.3f ms vs 2 x raw fsync p50 %.3f ms + 0.3 = %.3f ms %s%n",
              p50,
              fsyncMedianMillis,
              limit,
              p50 <= limit ? "MET" : "NOT MET"));
    }
    return out.toString();
  }

  private static Optional<Measurement> find(
      List<Measurement> measurements, String system, String phase) {
    return measurements.stream()
        .filter(m -> m.system().equals(system) && m.result().phase().name().equals(phase))
        .findFirst();
  }

  private static long delta(String before, String after) {
    long b = Long.parseLong(before);
    long a = Long.parseLong(after);
    return b < 0 || a < 0 ? -1 : a - b;
  }

  private static double[] cpu(List<ChildProcess> children) {
    double[] cpu = new double[children.size()];
    for (int i = 0; i < cpu.length; i++) {
      cpu[i] = children.get(i).cpuSeconds();
    }
    return cpu;
  }

  /** Polls every node until exactly one says it leads; fails after {@code timeout}. */
  static ChildProcess awaitLeader(List<ChildProcess> children, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      ChildProcess leader = null;
      int leaders = 0;
      for (ChildProcess child : children) {
        child.send("STATUS");
        String[] status = child.await("STATUS", Duration.ofSeconds(30));
        if (status[1].equals("leader")) {
          leader = child;
          leaders++;
        }
      }
      if (leaders == 1) {
        return leader;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "no single leader within "
            + timeout
            + "; see the node logs: "
            + children.stream().map(c -> c.log().toString()).toList());
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
