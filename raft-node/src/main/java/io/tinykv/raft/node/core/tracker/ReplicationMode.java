package io.tinykv.raft.node.core.tracker;

/** How the leader is currently replicating to one follower. */
public enum ReplicationMode {
  /**
   * The follower's log position is unknown: send one append at a time and wait for the answer (or a
   * heartbeat response) before the next, backing up on rejection.
   */
  PROBE,
  /** The position is known: stream appends optimistically, bounded by the in-flight window. */
  REPLICATE,
  /**
   * The entries the follower needs are compacted: a snapshot is being streamed to it and no append
   * is sent until the runtime reports the transfer's end or the follower acknowledges the snapshot.
   */
  SNAPSHOT
}
