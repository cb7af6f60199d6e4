package io.tinykv.raft.jmx;

/**
 * The node's on-disk Raft log, registered as {@code io.tinykv:type=Log,id=<id>} (see {@link
 * ObjectNames#log(String)}). Counters are cumulative since the node started.
 */
public interface LogMXBean {

  /**
   * Index of the first entry still in the log, after compaction (log index); {@code lastIndex + 1}
   * while the log holds no entry (1 for a new log).
   */
  long getFirstIndex();

  /** Index of the last entry in the log (log index; 0 if empty). */
  long getLastIndex();

  /** Number of segment files the log currently occupies. */
  int getSegments();

  /** Total size of the log's segment files on disk, in bytes. */
  long getBytesOnDisk();

  /** Fraction of entry reads served from the in-memory cache, in [0, 1] (NaN before any read). */
  double getCacheHitRatio();

  /** Number of fsync calls made on the log since the node started. */
  long getFsyncCount();

  /** Mean fsync latency in milliseconds since the node started (NaN before the first fsync). */
  double getFsyncLatencyMillisMean();

  /** Mean number of entries made durable per fsync (group-commit batch size; NaN before any). */
  double getEntriesPerFsync();
}
