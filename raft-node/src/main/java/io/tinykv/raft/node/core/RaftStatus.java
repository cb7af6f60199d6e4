package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only snapshot of a core's state, for monitoring and tests. {@code progress} is empty
 * unless the node is leader. {@code firstIndex} is the first log index still held (everything
 * before it is covered by a snapshot). {@code membership} is the configuration in force (the latest
 * in the log, committed or not), announced by the entry at {@code membershipIndex} (0 if it
 * predates the log): it is committed once {@code commitIndex >= membershipIndex}.
 */
public record RaftStatus(
    NodeId id,
    Role role,
    long term,
    Optional<NodeId> leader,
    Optional<NodeId> votedFor,
    long commitIndex,
    long appliedIndex,
    long firstIndex,
    long lastIndex,
    long persistedIndex,
    Membership membership,
    long membershipIndex,
    Map<NodeId, PeerProgress> progress) {

  public RaftStatus {
    progress = Map.copyOf(progress);
  }

  /** True if the configuration in force is committed (and not joint). */
  public boolean membershipSettled() {
    return commitIndex >= membershipIndex && !membership.isJoint();
  }
}
