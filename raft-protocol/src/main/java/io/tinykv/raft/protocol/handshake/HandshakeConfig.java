package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;

/** Who this node is in a handshake: its id, its cluster and the cluster's secret. */
public record HandshakeConfig(NodeId localNode, ClusterId clusterId, ClusterSecret secret) {

  public HandshakeConfig {
    Objects.requireNonNull(localNode, "localNode");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(secret, "secret");
  }
}
