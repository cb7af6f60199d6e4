package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import java.util.Objects;

/**
 * Settings of the threads and rings around the core, and of snapshots.
 *
 * @param tickMillis wall-clock length of one core tick (the core's timeouts are in ticks)
 * @param raftRingSize slots in the raft ring (a power of two)
 * @param logRingSize slots in the log ring (a power of two)
 * @param applyRingSize slots in the apply ring (a power of two)
 * @param snapshots when to snapshot, how much log to keep, how to stream snapshots to followers
 */
public record RuntimeOptions(
    int tickMillis,
    int raftRingSize,
    int logRingSize,
    int applyRingSize,
    SnapshotOptions snapshots) {

  public static final RuntimeOptions DEFAULTS =
      new RuntimeOptions(10, 1 << 16, 1 << 14, 1 << 14, SnapshotOptions.DEFAULTS);

  public RuntimeOptions {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be >= 1, got " + tickMillis);
    }
    requirePowerOfTwo(raftRingSize, "raftRingSize");
    requirePowerOfTwo(logRingSize, "logRingSize");
    requirePowerOfTwo(applyRingSize, "applyRingSize");
    Objects.requireNonNull(snapshots, "snapshots");
  }

  /** With the default snapshot settings. */
  public RuntimeOptions(int tickMillis, int raftRingSize, int logRingSize, int applyRingSize) {
    this(tickMillis, raftRingSize, logRingSize, applyRingSize, SnapshotOptions.DEFAULTS);
  }

  /** These options with other snapshot settings. */
  public RuntimeOptions withSnapshots(SnapshotOptions newSnapshots) {
    return new RuntimeOptions(tickMillis, raftRingSize, logRingSize, applyRingSize, newSnapshots);
  }

  private static void requirePowerOfTwo(int size, String name) {
    if (size < 2 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(name + " must be a power of two >= 2, got " + size);
    }
  }
}
