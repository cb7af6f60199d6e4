package io.tinykv.raft.node.kv;

import java.util.Optional;

/**
 * What the node runtime tells INFO and HELLO about itself; taken fresh for every such request.
 *
 * @param version the TinyKV version
 * @param nodeId this node's id
 * @param port the client and peer port
 * @param processId the JVM's process id
 * @param uptimeSeconds seconds since the node started
 * @param connectedClients open client connections
 * @param role the Raft role in lower case: {@code leader}, {@code follower}, {@code candidate},
 *     ...; shown to Redis clients as {@code master} for the leader, {@code slave} otherwise
 * @param term the current Raft term
 * @param leaderId the known leader, if any
 * @param commitIndex the highest log index known committed
 * @param lastIndex the last index in this node's log
 * @param state the state machine's {@link KvStateMachine#summary()}
 */
public record ServerInfo(
    String version,
    String nodeId,
    int port,
    long processId,
    long uptimeSeconds,
    int connectedClients,
    String role,
    long term,
    Optional<String> leaderId,
    long commitIndex,
    long lastIndex,
    StateSummary state) {

  /** Whether this node is the leader, which Redis clients know as the master. */
  public boolean isLeader() {
    return role.equals("leader");
  }
}
