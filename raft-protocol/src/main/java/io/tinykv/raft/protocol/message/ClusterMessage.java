package io.tinykv.raft.protocol.message;

/**
 * A cluster-management request or response between nodes, answered by the node runtime rather than
 * the consensus core: leader discovery, a new node asking to join, and membership changes
 * (DESIGN.md, "Wire protocol"; the seed's QueryLeader, JoinCluster and ClusterConfig RPCs).
 *
 * <p>Every request carries a {@code requestId} chosen by the sender and echoed by the response, so
 * several requests can be in flight on one peer link.
 */
public sealed interface ClusterMessage extends PeerMessage
    permits QueryLeader,
        QueryLeaderResponse,
        JoinCluster,
        JoinClusterResponse,
        ClusterConfig,
        ClusterConfigResponse {

  /** Longest {@code detail} text a cluster response may carry. */
  int MAX_DETAIL_LENGTH = 1024;

  long requestId();
}
