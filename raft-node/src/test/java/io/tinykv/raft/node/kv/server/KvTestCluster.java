package io.tinykv.raft.node.kv.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.KvStateMachine;
import io.tinykv.raft.node.kv.LocalCommands;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.Leaders;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.node.transport.local.LocalNetwork;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Three real nodes in one JVM, each with its KV state machine, its {@link KvService} behind a real
 * Netty RESP server on 127.0.0.1 (port 0), and a {@link LeaderForwarder} that reaches the others
 * over TCP. Raft messages travel over a {@link LocalNetwork} that can cut links; client traffic and
 * forwarding use TCP and are never cut.
 */
final class KvTestCluster implements AutoCloseable {

  static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  static final Duration WAIT = Duration.ofSeconds(20);

  /** One node and what serves its clients. */
  record Member(
      NodeId id,
      DefaultRaftNode<Reply> node,
      KvStateMachine kv,
      KvService service,
      LeaderForwarder forwarder,
      Channel server) {

    /** Runs a request on a new session of this node and waits for the reply. */
    Reply exec(String... args) {
      return exec(service.openSession(), args);
    }

    /** Runs a request on {@code session} and waits for the reply. */
    Reply exec(ClientSession session, String... args) {
      try {
        return service.serve(RespRequest.of(args), session).get(20, TimeUnit.SECONDS).reply();
      } catch (Exception e) {
        throw new AssertionError("no reply to " + String.join(" ", args) + " from " + id, e);
      }
    }

    Role role() {
      return node.status().raft().role();
    }
  }

  final LocalNetwork network = new LocalNetwork();
  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
  final Map<NodeId, NodeAddress> addresses = new ConcurrentHashMap<>();
  final Map<NodeId, Member> members = new LinkedHashMap<>();

  /**
   * Starts the three nodes.
   *
   * @param electionTicks the election timeout in 10 ms ticks
   * @param password the client password, if any
   */
  KvTestCluster(Path root, int electionTicks, Optional<String> password) throws Exception {
    for (NodeId id : IDS) {
      RaftConfig config =
          RaftConfig.builder(id).electionTicks(electionTicks).heartbeatTicks(3).build();
      KvStateMachine kv = new KvStateMachine();
      DefaultRaftNode<Reply> node =
          DefaultRaftNode.onDisk(
              config,
              RuntimeOptions.DEFAULTS,
              Membership.ofVoters(new TreeSet<>(IDS)),
              DiskStorage.open(StorageConfig.of(root.resolve(id.value()), "test")),
              kv,
              network.transportFor(id));
      LeaderForwarder forwarder = new LeaderForwarder(group, this::address, password, 2_000);
      KvService service =
          new KvService(
              node,
              kv,
              new LocalCommands(password, () -> null),
              forwarder,
              this::address,
              KvServiceOptions.DEFAULTS);
      Channel server = ServerTesting.serve(group, service);
      addresses.put(id, ServerTesting.addressOf(server));
      members.put(id, new Member(id, node, kv, service, forwarder, server));
    }
    members.values().forEach(m -> m.node().start());
  }

  Optional<NodeAddress> address(NodeId id) {
    return Optional.ofNullable(addresses.get(id));
  }

  Member member(NodeId id) {
    return members.get(id);
  }

  Member awaitLeader() {
    return awaitLeaderOtherThan(null);
  }

  /** A leader other than {@code excluded}, once there is one. */
  Member awaitLeaderOtherThan(NodeId excluded) {
    List<DefaultRaftNode<Reply>> nodes = members.values().stream().map(Member::node).toList();
    return members.get(Leaders.await(nodes, Optional.ofNullable(excluded), WAIT).id());
  }

  List<Member> followersOf(Member leader) {
    List<Member> followers = new ArrayList<>(members.values());
    followers.remove(leader);
    return followers;
  }

  @Override
  public void close() {
    for (Member m : members.values()) {
      m.server().close().syncUninterruptibly();
      m.forwarder().close();
      m.node().close();
    }
    network.close();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
