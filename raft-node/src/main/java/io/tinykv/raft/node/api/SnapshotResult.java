package io.tinykv.raft.node.api;

/**
 * The node's durable snapshot after {@link RaftNode#takeSnapshot()}.
 *
 * @param index the last log index the snapshot covers
 * @param term the term of that entry
 * @param storedBytes the snapshot's size on disk (compressed)
 * @param taken true if this call wrote a new snapshot; false if the newest one already covered
 *     everything applied
 */
public record SnapshotResult(long index, long term, long storedBytes, boolean taken) {

  /**
   * For people: {@code snapshot at index 1200 term 3 (5210 bytes)}, or {@code (..., already
   * taken)}.
   */
  public String describe() {
    return "snapshot at index "
        + index
        + " term "
        + term
        + " ("
        + storedBytes
        + " bytes"
        + (taken ? "" : ", already taken")
        + ")";
  }
}
