package io.tinykv.raft.node.runtime;

/**
 * Settings of the threads and rings around the core.
 *
 * @param tickMillis wall-clock length of one core tick (the core's timeouts are in ticks)
 * @param raftRingSize slots in the raft ring (a power of two)
 * @param logRingSize slots in the log ring (a power of two)
 * @param applyRingSize slots in the apply ring (a power of two)
 */
public record RuntimeOptions(int tickMillis, int raftRingSize, int logRingSize, int applyRingSize) {

  public static final RuntimeOptions DEFAULTS = new RuntimeOptions(10, 1 << 16, 1 << 14, 1 << 14);

  public RuntimeOptions {
    if (tickMillis < 1) {
      throw new IllegalArgumentException("tickMillis must be >= 1, got " + tickMillis);
    }
    requirePowerOfTwo(raftRingSize, "raftRingSize");
    requirePowerOfTwo(logRingSize, "logRingSize");
    requirePowerOfTwo(applyRingSize, "applyRingSize");
  }

  private static void requirePowerOfTwo(int size, String name) {
    if (size < 2 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException(name + " must be a power of two >= 2, got " + size);
    }
  }
}
