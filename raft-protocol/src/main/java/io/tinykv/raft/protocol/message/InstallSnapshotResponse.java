package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * The follower's answer to an {@link InstallSnapshot} chunk of the snapshot at {@code
 * lastIncludedIndex}. On success {@code nextOffset} is the offset of the next byte the follower
 * expects (the snapshot's total size once the last chunk is in and the snapshot verified). On
 * rejection (an out-of-order chunk, a checksum mismatch of the whole snapshot, a snapshot the
 * follower cannot use) {@code nextOffset} is where the leader should resume, usually 0.
 */
public record InstallSnapshotResponse(
    NodeId from, NodeId to, long term, long lastIncludedIndex, long nextOffset, boolean success)
    implements RaftMessage {

  public InstallSnapshotResponse {
    Messages.requireHeader(from, to, term);
    Messages.requirePositive(lastIncludedIndex, "lastIncludedIndex");
    Messages.requireNonNegative(nextOffset, "nextOffset");
  }
}
