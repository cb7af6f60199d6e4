package io.tinykv.raft.node.server;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.kv.KvLimits;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything one server process needs, validated on construction.
 *
 * @param address where this node listens for peers and clients (the seed's --host/--port)
 * @param root the data directory; state lives in {@code <root>/.raft}
 * @param clusterId names the cluster; a data directory of another cluster is refused
 * @param secret the cluster secret peers prove they know (the seed's password)
 * @param mode how to find the cluster on first start
 * @param members the initial cluster's members and addresses ({@link StartMode#INITIAL_CLUSTER}),
 *     or just this node ({@link StartMode#BOOTSTRAP}); addresses of nodes whose id is not their
 *     host:port must be listed here on every start
 * @param join the member to contact for {@link StartMode#JOIN}
 * @param raft the consensus settings (id, timeouts in ticks, batch sizes)
 * @param runtime tick length and ring sizes
 * @param clientPassword if present, clients must AUTH with it
 * @param limits key and value size limits
 * @param jmxPort if present, the port of the remote JMX connector (RMI registry and server), bound
 *     to {@code address}'s host; the MBeans are registered for local attach either way
 * @param jmxTls whether the remote JMX connector speaks TLS (with the JVM's default SSL context)
 */
public record ServerConfig(
    NodeAddress address,
    Path root,
    String clusterId,
    String secret,
    StartMode mode,
    Map<NodeId, NodeAddress> members,
    Optional<NodeAddress> join,
    RaftConfig raft,
    RuntimeOptions runtime,
    Optional<String> clientPassword,
    KvLimits limits,
    OptionalInt jmxPort,
    boolean jmxTls) {

  public ServerConfig {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(mode, "mode");
    members = Map.copyOf(members);
    Objects.requireNonNull(join, "join");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(clientPassword, "clientPassword");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(jmxPort, "jmxPort");
    if (jmxPort.isPresent() && (jmxPort.getAsInt() < 1 || jmxPort.getAsInt() > 65535)) {
      throw new IllegalArgumentException(
          "--jmx-port must be in 1..65535, got " + jmxPort.getAsInt());
    }
    if (jmxPort.isPresent() && jmxPort.getAsInt() == address.port()) {
      throw new IllegalArgumentException(
          "--jmx-port " + jmxPort.getAsInt() + " is the node's own port; choose another");
    }
    if (jmxTls && jmxPort.isEmpty()) {
      throw new IllegalArgumentException("--jmx-tls needs --jmx-port");
    }
    if (secret.length() < 8) {
      throw new IllegalArgumentException(
          "the cluster secret must have at least 8 characters (got " + secret.length() + ")");
    }
    if (mode == StartMode.INITIAL_CLUSTER && !members.containsKey(raft.id())) {
      throw new IllegalArgumentException(
          "this node (" + raft.id() + ") is not in --initial-cluster " + members.keySet());
    }
    if (mode == StartMode.JOIN && join.isEmpty()) {
      throw new IllegalArgumentException("--join needs the address of a cluster member");
    }
  }

  public NodeId id() {
    return raft.id();
  }

  /** Where a member listens: listed in {@link #members}, else its id read as host:port. */
  public Optional<NodeAddress> addressOf(NodeId node) {
    NodeAddress listed = members.get(node);
    if (listed != null) {
      return Optional.of(listed);
    }
    if (node.equals(id())) {
      return Optional.of(address);
    }
    try {
      return Optional.of(NodeAddress.parse(node.value()));
    } catch (IllegalArgumentException notAnAddress) {
      return Optional.empty();
    }
  }
}
