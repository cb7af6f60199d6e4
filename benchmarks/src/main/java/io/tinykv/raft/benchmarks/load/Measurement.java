package io.tinykv.raft.benchmarks.load;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A phase's result with what the nodes spent on it.
 *
 * @param system which system served the load ({@code tinykv}, {@code jraft}, {@code ratis}, ...)
 * @param path how the load reached it ({@code library} or {@code resp})
 * @param result the load loop's figures
 * @param nodeCpuSeconds CPU seconds (user + system) each node process used during the phase,
 *     including a load loop that runs inside a node; empty if unknown
 * @param entriesWritten log entries the leader made durable during the phase; -1 if unknown
 * @param fsyncs log fsyncs of the leader during the phase; -1 if unknown
 * @param leaderThreadCpu the leader's CPU seconds during the phase by thread group (see {@link
 *     ThreadCpu}); empty if unknown
 */
public record Measurement(
    String system,
    String path,
    PhaseResult result,
    List<Double> nodeCpuSeconds,
    long entriesWritten,
    long fsyncs,
    Map<String, Double> leaderThreadCpu) {

  public Measurement {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(result, "result");
    nodeCpuSeconds = List.copyOf(nodeCpuSeconds);
    leaderThreadCpu = Map.copyOf(leaderThreadCpu);
  }

  public Measurement(
      String system,
      String path,
      PhaseResult result,
      List<Double> nodeCpuSeconds,
      long entriesWritten,
      long fsyncs) {
    this(system, path, result, nodeCpuSeconds, entriesWritten, fsyncs, Map.of());
  }

  /**
   * The leader's thread groups by CPU seconds per 1,000 completed requests, largest first: {@code
   * tinykv-apply-n 0.006, tinykv-net-n 0.004, ...}.
   */
  public String leaderThreadsPer1000(int top) {
    if (leaderThreadCpu.isEmpty() || result.completed() == 0) {
      return "";
    }
    return leaderThreadCpu.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(top)
        .map(
            e ->
                String.format(
                    java.util.Locale.ROOT,
                    "%s %.4f",
                    e.getKey(),
                    e.getValue() * 1000.0 / result.completed()))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** All nodes' CPU seconds together, or NaN if unknown. */
  public double cpuSeconds() {
    return nodeCpuSeconds.isEmpty()
        ? Double.NaN
        : nodeCpuSeconds.stream().mapToDouble(Double::doubleValue).sum();
  }

  /** CPU seconds of all nodes per 1,000 completed requests (writes, in a write-only run). */
  public double cpuSecondsPer1000() {
    return result.completed() == 0 ? Double.NaN : cpuSeconds() * 1000.0 / result.completed();
  }

  /** The leader's group-commit factor during the phase, when the system reports it. */
  public OptionalDouble entriesPerFsync() {
    return entriesWritten < 0 || fsyncs <= 0
        ? OptionalDouble.empty()
        : OptionalDouble.of((double) entriesWritten / fsyncs);
  }
}
