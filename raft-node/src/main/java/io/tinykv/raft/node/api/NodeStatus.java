package io.tinykv.raft.node.api;

import io.tinykv.raft.node.core.RaftStatus;

/**
 * A node's published state, refreshed by its consensus thread at least once per tick: the Raft view
 * and the write pipeline's counters. Group commit shows as {@code entriesWritten / fsyncs}.
 *
 * @param raft the consensus state
 * @param entriesWritten log entries appended to the durable log
 * @param writeBatches batches the log writer took from its ring
 * @param fsyncs log fsyncs (one per batch that had entries)
 * @param appliedIndex the state machine's applied index
 */
public record NodeStatus(
    RaftStatus raft, long entriesWritten, long writeBatches, long fsyncs, long appliedIndex) {

  /** Entries made durable per fsync, the group-commit factor; 0 before the first fsync. */
  public double entriesPerFsync() {
    return fsyncs == 0 ? 0 : (double) entriesWritten / fsyncs;
  }
}
