package io.tinykv.raft.benchmarks.load;

import java.time.Duration;

/** CPU time of local processes, as the kernel counts it (user + system, all threads). */
public final class ProcessCpu {

  private ProcessCpu() {}

  /**
   * The CPU seconds process {@code pid} has used so far, or NaN if it is gone or not visible (a
   * process on another machine, or one this user may not inspect).
   */
  public static double secondsOf(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .map(nanos -> nanos / 1e9)
        .orElse(Double.NaN);
  }
}
