package io.tinykv.raft.node.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tinykv.raft.jmx.remote.JmxRemoteServer;
import io.tinykv.raft.jmx.remote.SecretAuthenticator;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.jmx.NodeManagement;
import io.tinykv.raft.node.kv.KvStateMachine;
import io.tinykv.raft.node.kv.LocalCommands;
import io.tinykv.raft.node.kv.ServerInfo;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.server.ClientPipeline;
import io.tinykv.raft.node.kv.server.KvService;
import io.tinykv.raft.node.kv.server.KvServiceOptions;
import io.tinykv.raft.node.kv.server.LeaderForwarder;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.transport.netty.NettyTransport;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.handshake.ClusterSecret;
import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TinyKV server process: durable storage, the key-value state machine replicated by a Raft
 * node, the Netty transport on one port shared by peers and RESP clients, and the client service
 * (with write forwarding to the leader).
 */
public final class KvServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KvServer.class);
  private static final String VERSION = "0.1.0";

  /** The user name remote JMX clients log in with; the password is the cluster secret. */
  public static final String JMX_USER = "admin";

  private final ServerConfig config;
  private final DefaultRaftNode<Reply> node;
  private final NettyTransport transport;
  private final KvStateMachine kv;
  private final EventLoopGroup forwarderLoop;
  private final LeaderForwarder forwarder;
  private final KvService service;
  private final NodeManagement management;
  private volatile JmxRemoteServer jmx;
  private final long startedAtMillis = System.currentTimeMillis();
  private final CountDownLatch closed = new CountDownLatch(1);

  private KvServer(ServerConfig config) {
    this.config = config;
    DiskStorage storage = DiskStorage.open(StorageConfig.of(config.root(), config.clusterId()));
    // Remembered so that a restart with --root alone comes back as the same node and address.
    new ServerIdentity(config.id(), config.address(), config.clusterId()).save(config.root());
    PersistentMeta meta = storage.meta().current();
    Membership membership;
    if (meta.membership().isPresent()) {
      membership = meta.membership().get();
    } else if (config.mode() == StartMode.RESTART) {
      storage.close();
      throw new IllegalArgumentException(
          config.root()
              + " has no cluster membership yet: start with --bootstrap or"
              + " --initial-cluster");
    } else if (config.mode() == StartMode.JOIN) {
      try {
        membership =
            new Joiner(peerLink(config), config.id(), config.address(), meta.nodeUuid())
                .join(config.join().orElseThrow(), JOIN_PATIENCE);
      } catch (RuntimeException e) {
        storage.close();
        throw e;
      }
    } else {
      membership = Membership.ofVoters(config.members());
      DefaultRaftNode.bootstrap(storage, membership);
    }
    this.kv = new KvStateMachine();
    AtomicReference<KvService> serviceRef = new AtomicReference<>();
    AtomicReference<ClusterService> clusterRef = new AtomicReference<>();
    this.transport =
        NettyTransport.builder(peerLink(config))
            .listen(config.address().host(), config.address().port())
            .peerResolver(this::addressOf)
            .clientInitializer(pipeline -> ClientPipeline.install(pipeline, serviceRef.get()))
            .clusterRequests((peer, request) -> clusterRef.get().handle(peer, request))
            .build();
    this.node =
        DefaultRaftNode.onDisk(config.raft(), config.runtime(), membership, storage, kv, transport);
    clusterRef.set(new ClusterService(node, this::addressOf));
    this.management =
        NodeManagement.builder(node, config.raft(), config.runtime().tickMillis())
            .addresses(this::addressOf)
            .peerLinks(transport::peerStats)
            .log(storage.log())
            .snapshots(storage.snapshots())
            .operations(new ServerOperations(node, this::addressOf))
            .register();
    this.forwarderLoop =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("tinykv-forward-" + config.id(), true),
            NioIoHandler.newFactory());
    this.forwarder =
        new LeaderForwarder(forwarderLoop, this::addressOf, config.clientPassword(), 3_000);
    LocalCommands local = new LocalCommands(config.clientPassword(), this::serverInfo);
    this.service =
        new KvService(
            node,
            kv,
            local,
            forwarder,
            this::addressOf,
            new KvServiceOptions(config.limits(), 10_000, config.runtime().tickMillis()));
    serviceRef.set(service);
  }

  /** How long {@code --join} keeps trying to reach a leader that accepts this node. */
  private static final Duration JOIN_PATIENCE = Duration.ofSeconds(60);

  private static PeerLinkConfig peerLink(ServerConfig config) {
    return PeerLinkConfig.withDefaults(
        new HandshakeConfig(
            config.id(), ClusterId.of(config.clusterId()), ClusterSecret.of(config.secret())));
  }

  /**
   * Where a member listens: as the configuration in force says (members added at run time are known
   * only there), else as the command line listed it.
   */
  private Optional<NodeAddress> addressOf(NodeId id) {
    DefaultRaftNode<Reply> running = node;
    if (running != null) {
      Optional<NodeAddress> known = running.status().raft().membership().address(id);
      if (known.isPresent()) {
        return known;
      }
    }
    return config.addressOf(id);
  }

  /** Opens the storage, binds the port and starts the node. */
  public static KvServer start(ServerConfig config) {
    KvServer server = new KvServer(config);
    if (config.jmxPort().isPresent()) {
      server.startJmx(config.jmxPort().getAsInt());
    }
    server.transport.bind();
    server.node.start();
    Membership members = server.node.status().raft().membership();
    if (server.node.status().raft().lastIndex() <= 1
        && members.voters().size() == 1
        && members.voters().contains(config.id())) {
      server.node.campaign(); // a brand-new one-node cluster need not wait for a timeout
    }
    LOG.info(
        "{} serving Redis clients and peers on {} ({} mode, members {})",
        config.id(),
        config.address(),
        config.mode().name().toLowerCase(Locale.ROOT),
        members.allMembers());
    return server;
  }

  /**
   * Serves the platform MBean server (with this node's MBeans) to JConsole and VisualVM on {@code
   * host:port}: user {@value #JMX_USER}, password the cluster secret.
   */
  private void startJmx(int port) {
    try {
      jmx =
          JmxRemoteServer.start(
              ManagementFactory.getPlatformMBeanServer(),
              config.address().host(),
              port,
              new SecretAuthenticator(JMX_USER, config.secret()),
              config.jmxTls() ? Optional.of(SSLContext.getDefault()) : Optional.empty());
      LOG.info("{} serves JMX at {} (user {})", config.id(), jmx.url(), JMX_USER);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      close();
      throw new IllegalStateException(
          "cannot serve JMX on port " + port + ": " + e.getMessage(), e);
    }
  }

  public DefaultRaftNode<Reply> node() {
    return node;
  }

  private ServerInfo serverInfo() {
    NodeStatus status = node.status();
    RaftStatus raft = status.raft();
    return new ServerInfo(
        VERSION,
        config.id().value(),
        config.address().port(),
        ProcessHandle.current().pid(),
        (System.currentTimeMillis() - startedAtMillis) / 1000,
        service.connectedClients(),
        raft.role().name().toLowerCase(Locale.ROOT),
        raft.term(),
        raft.leader().map(Object::toString),
        raft.commitIndex(),
        raft.lastIndex(),
        kv.summary());
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitClosed() throws InterruptedException {
    closed.await();
  }

  /** Waits up to {@code timeoutMillis} for {@link #close()}; true if it ran. */
  public boolean awaitClosed(long timeoutMillis) throws InterruptedException {
    return closed.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    if (closed.getCount() == 0) {
      return;
    }
    LOG.info("{} shutting down", config.id());
    if (jmx != null) {
      try {
        jmx.close();
      } catch (IOException e) {
        LOG.warn("{}: stopping the JMX connector failed", config.id(), e);
      }
    }
    management.close();
    forwarder.close();
    node.close();
    forwarderLoop
        .shutdownGracefully(0, 1, TimeUnit.SECONDS)
        .awaitUninterruptibly(2, TimeUnit.SECONDS);
    closed.countDown();
  }
}
