package io.tinykv.raft.protocol.message;

/**
 * Asks a node which node it believes leads the cluster; how a node started with {@code --join}
 * finds the leader to send its {@link JoinCluster} to.
 */
public record QueryLeader(long requestId) implements ClusterMessage {}
