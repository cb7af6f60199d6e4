package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;

/**
 * The leader's request to its runtime: follower {@code to} needs entries that are compacted, so
 * stream it the latest durable snapshot, stamped with the leader's {@code term}, and then call
 * {@link RawNode#reportSnapshot(NodeId, boolean)}.
 *
 * @param to the follower
 * @param term the leader's term when it asked
 */
public record SnapshotRequest(NodeId to, long term) {

  public SnapshotRequest {
    Objects.requireNonNull(to, "to");
  }
}
