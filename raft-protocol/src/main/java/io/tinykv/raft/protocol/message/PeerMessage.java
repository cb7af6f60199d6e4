package io.tinykv.raft.protocol.message;

/**
 * Anything one node sends another over an authenticated peer link: either a {@link RaftMessage} for
 * the consensus core or a {@link ClusterMessage} answered by the node runtime. This is the unit the
 * wire codec encodes; each permitted type has a fixed wire registration id.
 */
public sealed interface PeerMessage permits RaftMessage, ClusterMessage {}
