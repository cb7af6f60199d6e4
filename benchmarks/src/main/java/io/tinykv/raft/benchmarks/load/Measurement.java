package io.tinykv.raft.benchmarks.load;

import java.util.List;
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
 */
public record Measurement(
    String system,
    String path,
    PhaseResult result,
    List<Double> nodeCpuSeconds,
    long entriesWritten,
    long fsyncs) {

  public Measurement {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(result, "result");
    nodeCpuSeconds = List.copyOf(nodeCpuSeconds);
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
