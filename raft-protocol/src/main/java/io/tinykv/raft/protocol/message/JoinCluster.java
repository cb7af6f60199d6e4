package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;
import java.util.UUID;

/**
 * A node asks the leader to be added to the cluster under {@code nodeId}, reachable at {@code
 * address}. {@code nodeUuid} is generated once when the node's data directory is created: it lets
 * the cluster tell a restart of the same node from a node that lost its disk and reuses the id,
 * which must not vote as if it still held its old log.
 */
public record JoinCluster(long requestId, NodeId nodeId, NodeAddress address, UUID nodeUuid)
    implements ClusterMessage {

  public JoinCluster {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(nodeUuid, "nodeUuid");
  }
}
