package io.tinykv.raft.node.transport.netty;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.Journal;
import io.tinykv.raft.node.runtime.Leaders;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.handshake.ClusterSecret;
import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real nodes in one JVM, each with its own {@link NettyTransport} on 127.0.0.1 and its own data
 * directory. Ports are picked by the OS on a node's first start and kept across restarts; peers
 * find each other through a shared address map (a resolver), so nodes may start in any order.
 */
final class NettyCluster implements AutoCloseable {

  static final ClusterId CLUSTER = ClusterId.of("netty-test");
  static final String SECRET = "correct horse battery staple";
  static final String HOST = "127.0.0.1";
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Fast redials, so a restarted peer is back within a few hundred milliseconds. */
  static final NettyTransportOptions OPTIONS =
      NettyTransportOptions.DEFAULTS.withBackoff(Duration.ofMillis(20), Duration.ofMillis(500));

  private final Path root;
  private final List<NodeId> ids;
  private final long seed;
  private final RuntimeOptions runtime;
  private final Map<NodeId, NodeAddress> addresses = new ConcurrentHashMap<>();
  private final Map<NodeId, DefaultRaftNode<Long>> nodes = new ConcurrentHashMap<>();
  private final Map<NodeId, NettyTransport> transports = new ConcurrentHashMap<>();
  private final Map<NodeId, Journal> journals = new ConcurrentHashMap<>();

  NettyCluster(Path root, List<NodeId> ids, long seed) {
    this(root, ids, seed, RuntimeOptions.DEFAULTS);
  }

  NettyCluster(Path root, List<NodeId> ids, long seed, RuntimeOptions runtime) {
    this.root = root;
    this.ids = List.copyOf(ids);
    this.seed = seed;
    this.runtime = runtime;
  }

  static PeerLinkConfig linkConfig(NodeId id, String secret) {
    return PeerLinkConfig.withDefaults(new HandshakeConfig(id, CLUSTER, ClusterSecret.of(secret)));
  }

  void startAll() {
    ids.forEach(this::start);
  }

  void start(NodeId id) {
    start(id, SECRET);
  }

  /** Starts {@code id} on its previous port and data directory, or on a new port. */
  void start(NodeId id, String secret) {
    int port = Optional.ofNullable(addresses.get(id)).map(NodeAddress::port).orElse(0);
    NettyTransport transport =
        NettyTransport.builder(linkConfig(id, secret))
            .listen(HOST, port)
            .peerResolver(peer -> Optional.ofNullable(addresses.get(peer)))
            .options(OPTIONS)
            .random(new Random(seed + id.hashCode()))
            .build();
    InetSocketAddress bound = transport.bind();
    addresses.put(id, NodeAddress.of(HOST, bound.getPort()));
    RaftConfig config = RaftConfig.builder(id).electionTicks(20).heartbeatTicks(3).build();
    Journal journal = new Journal();
    DefaultRaftNode<Long> node =
        DefaultRaftNode.onDisk(
            config,
            runtime,
            Membership.ofVoters(new TreeSet<>(ids)),
            DiskStorage.open(StorageConfig.of(root.resolve(id.value()), "test")),
            journal,
            transport);
    transports.put(id, transport);
    journals.put(id, journal);
    nodes.put(id, node.start());
  }

  /** Closes the node, which closes its transport and storage. */
  void stop(NodeId id) {
    DefaultRaftNode<Long> node = nodes.remove(id);
    if (node != null) {
      node.close();
    }
  }

  DefaultRaftNode<Long> node(NodeId id) {
    return nodes.get(id);
  }

  NettyTransport transport(NodeId id) {
    return transports.get(id);
  }

  Journal journal(NodeId id) {
    return journals.get(id);
  }

  /** Waits for a leader among the running nodes and returns it. */
  DefaultRaftNode<Long> awaitLeader() {
    return Leaders.await(nodes.values(), Optional.empty(), WAIT);
  }

  @Override
  public void close() {
    List.copyOf(nodes.keySet()).forEach(this::stop);
  }
}
