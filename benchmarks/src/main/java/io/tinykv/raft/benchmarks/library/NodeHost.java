package io.tinykv.raft.benchmarks.library;

import io.tinykv.raft.benchmarks.load.LoadRunner;
import io.tinykv.raft.benchmarks.load.Phase;
import io.tinykv.raft.benchmarks.load.PhaseResult;
import io.tinykv.raft.benchmarks.load.Workload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One node process of the library benchmark: starts node {@code index} of a {@link BenchSystem}
 * and, when the coordinator ({@link LibraryBench}) says so, drives load on it with {@link
 * LoadRunner}, leader-local, as an embedder would.
 *
 * <pre>
 * java -cp JAR io.tinykv.raft.benchmarks.library.NodeHost SYSTEM INDEX PORT,PORT,PORT DATA_DIR
 * </pre>
 *
 * The secret comes from {@code $BENCH_SECRET}. Commands arrive on stdin, one a line; answers are
 * stdout lines starting with {@code @@} (anything else on stdout is a library's logging):
 *
 * <pre>
 * STATUS                      -> @@ STATUS leader|follower ENTRIES FSYNCS
 * PHASE name c rate millis keyBytes keySpace valueBytes readRatio seed
 *                             -> @@ BEGIN name ENTRIES FSYNCS, then @@ END name ENTRIES FSYNCS FILE
 * QUIT                        -> closes the node and exits
 * </pre>
 *
 * End of input (the coordinator died) also closes the node and exits.
 */
public final class NodeHost {

  private NodeHost() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: NodeHost SYSTEM INDEX PORT,PORT,... DATA_DIR");
      System.exit(2);
    }
    BenchSystem system = BenchSystems.named(args[0]);
    List<Integer> ports = new ArrayList<>();
    for (String port : args[2].split(",", -1)) {
      ports.add(Integer.parseInt(port));
    }
    Path data = Path.of(args[3]);
    Files.createDirectories(data);
    String secret = System.getenv().getOrDefault("BENCH_SECRET", "bench-secret");
    // Libraries that log to stdout must not mix with the answers: answers go to the real stdout.
    PrintStream answers =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8));
    int code = 0;
    try (BenchNode node =
        system.start(new NodeSpec(Integer.parseInt(args[1]), ports, data, secret))) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+", -1);
        if (words[0].equals("QUIT")) {
          break;
        } else if (words[0].equals("STATUS")) {
          answers.printf(
              "@@ STATUS %s %d %d%n",
              node.isLeader() ? "leader" : "follower", node.entriesWritten(), node.fsyncs());
        } else if (words[0].equals("PHASE") && words.length == 10) {
          runPhase(node, words, data, answers);
        } else {
          answers.println("@@ ERROR unknown command: " + line);
        }
      }
    } catch (Exception | Error e) {
      e.printStackTrace();
      answers.println("@@ ERROR " + e);
      code = 1;
    }
    answers.flush();
    System.exit(code);
  }

  private static void runPhase(BenchNode node, String[] w, Path data, PrintStream answers)
      throws Exception {
    Phase phase =
        new Phase(
            w[1],
            Integer.parseInt(w[2]),
            Long.parseLong(w[3]),
            Duration.ofMillis(Long.parseLong(w[4])),
            Phase.DEFAULT_MAX_REQUESTS);
    Workload workload =
        new Workload(
            Integer.parseInt(w[5]),
            Integer.parseInt(w[6]),
            Integer.parseInt(w[7]),
            Double.parseDouble(w[8]));
    LoadRunner runner = new LoadRunner(node.target(), workload, Long.parseLong(w[9]));
    answers.printf("@@ BEGIN %s %d %d%n", phase.name(), node.entriesWritten(), node.fsyncs());
    PhaseResult result = runner.run(phase);
    long entries = node.entriesWritten();
    long fsyncs = node.fsyncs();
    Properties out = new Properties();
    result.toProperties(out, "");
    Path file = data.resolve("phase-" + phase.name() + ".properties");
    try (OutputStream stream = Files.newOutputStream(file)) {
      out.store(stream, "LoadRunner result");
    }
    answers.printf("@@ END %s %d %d %s%n", phase.name(), entries, fsyncs, file.toAbsolutePath());
  }
}
