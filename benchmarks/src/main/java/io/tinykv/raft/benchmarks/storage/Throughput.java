package io.tinykv.raft.benchmarks.storage;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH results reported as rates next to the primary score (calls per second): entries per
 * second and payload bytes per second (divide by 10^6 for MB/s).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {

  public long entries;
  public long payloadBytes;

  @Setup(Level.Iteration)
  public void reset() {
    entries = 0;
    payloadBytes = 0;
  }

  void add(int count, int bytesEach) {
    entries += count;
    payloadBytes += (long) count * bytesEach;
  }
}
