package io.tinykv.raft.node.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.tinykv.raft.node.transport.Transport;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.codec.PeerPipeline;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer transport over TCP with Netty: one listening port shared by peers and clients, one
 * long-lived authenticated connection to each peer, and non-blocking sends.
 *
 * <h2>Connections</h2>
 *
 * Each node dials every peer it sends to and uses <em>only its own dialled connection</em> for
 * sending; connections it accepts are used <em>only for receiving</em>. Two nodes that talk to each
 * other therefore share two TCP connections, one per direction. That keeps each connection's life
 * in one owner's hands (no tie-breaking when both dial at once, no hand-over when one side
 * reconnects) at the cost of an idle return direction on each. A dialled connection is used only
 * once the handshake proved the peer knows the cluster secret and is the node expected at that
 * address; a lost or failed connection is redialled with exponential backoff and jitter ({@link
 * NettyTransportOptions}). A peer that dials this node is dialled back, so links come up in both
 * directions as soon as either side speaks.
 *
 * <h2>The shared port</h2>
 *
 * An accepted connection that opens with the peer magic gets the peer protocol ({@link
 * PeerPipeline}); any other is handed, with its first bytes intact, to the {@link
 * ClientInitializer} given to the builder (the RESP server).
 *
 * <h2>Sending and receiving</h2>
 *
 * {@link #send} never blocks; it drops (and counts) a message to a peer that is not connected or
 * not keeping up, which Raft tolerates. Writes are flushed once per batch. Inbound messages go to
 * the consumer given to {@link #start} on the I/O threads; a message whose sender is not the
 * authenticated peer is dropped and logged.
 *
 * <p>Thread-safe. Build with {@link #builder}; {@link #bind()} (optional, to learn the port early),
 * then {@link #start}; {@link #close()} releases the port and the threads.
 */
public final class NettyTransport implements Transport {

  private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);

  private final NodeId localId;
  private final String host;
  private final int port;
  private final Function<NodeId, Optional<NodeAddress>> resolver;
  private final Set<NodeId> eagerPeers;
  private final ClientInitializer clients;
  private final NettyTransportOptions options;
  private final Random random;
  private final Clock clock;
  private final NettyChannels channels;
  private final ConcurrentMap<NodeId, PeerConnector> peers = new ConcurrentHashMap<>();
  private final LongAdder inboundDropped = new LongAdder();
  private volatile Consumer<RaftMessage> inbound;
  private volatile boolean closed;
  private Channel server; // guarded by this

  NettyTransport(NettyTransportBuilder b) {
    this.localId = b.link.handshake().localNode();
    this.host = b.host;
    this.port = b.port;
    this.resolver = b.resolver;
    this.eagerPeers = b.eagerPeers;
    this.clients = b.clients;
    this.options = b.options;
    this.random = b.random;
    this.clock = b.clock;
    this.channels = new NettyChannels(b, (ch, peer) -> !closed, this::receive);
  }

  /** A builder for the node whose identity and link settings are {@code link}. */
  public static NettyTransportBuilder builder(PeerLinkConfig link) {
    return new NettyTransportBuilder(link);
  }

  /**
   * Opens the listening port, if not yet open, and returns its address (with the actual port when
   * the builder asked for port 0). Connections accepted before {@link #start} are served, but their
   * Raft messages are dropped.
   *
   * @throws IllegalStateException if the port cannot be opened, or the transport is closed
   */
  public synchronized InetSocketAddress bind() {
    if (closed) {
      throw new IllegalStateException(localId + ": the transport is closed");
    }
    if (server == null) {
      ChannelFuture bound = channels.listen(host, port, clients);
      if (!bound.isSuccess()) {
        throw new IllegalStateException(
            localId + ": cannot listen on " + host + ":" + port, bound.cause());
      }
      server = bound.channel();
      log.info("{} listening for peers and clients on {}", localId, server.localAddress());
    }
    return (InetSocketAddress) server.localAddress();
  }

  /** The listening address, once {@link #bind()} or {@link #start} has opened it. */
  public synchronized Optional<InetSocketAddress> localAddress() {
    return server == null
        ? Optional.empty()
        : Optional.of((InetSocketAddress) server.localAddress());
  }

  @Override
  public void start(Consumer<RaftMessage> inbound) {
    this.inbound = Objects.requireNonNull(inbound, "inbound");
    bind();
    eagerPeers.forEach(this::connect);
  }

  /**
   * Dials {@code peer} now, if it is not already being dialled, instead of at the first send: for a
   * peer a membership change just added. Ignores this node's own id.
   */
  public void connect(NodeId peer) {
    connectorFor(peer);
  }

  /**
   * Closes the link to {@code peer} and forgets its counters: for a peer removed from the cluster.
   */
  public void disconnect(NodeId peer) {
    PeerConnector connector = peers.remove(peer);
    if (connector != null) {
      connector.close();
    }
  }

  @Override
  public void send(RaftMessage message) {
    if (!message.from().equals(localId) || message.to().equals(localId)) {
      throw new IllegalArgumentException(
          localId + " cannot send a message from " + message.from() + " to " + message.to());
    }
    PeerConnector connector = connectorFor(message.to());
    if (connector != null) {
      connector.link().send(message);
    }
  }

  /** The links to every peer this transport has sent to or heard from, by peer id. */
  public Map<NodeId, PeerLinkStats> peerStats() {
    Map<NodeId, PeerLinkStats> stats = new TreeMap<>();
    peers.forEach((id, connector) -> stats.put(id, connector.link().stats()));
    return stats;
  }

  /** The link to {@code peer}, if this transport has sent to or heard from it. */
  public Optional<PeerLinkStats> peerStats(NodeId peer) {
    return Optional.ofNullable(peers.get(peer)).map(c -> c.link().stats());
  }

  /**
   * Inbound messages from authenticated peers dropped because nothing here handles them: Raft
   * messages before {@link #start} or after {@link #close}, and cluster messages (queries and
   * membership requests, which have no handler on this transport yet).
   */
  public long inboundDropped() {
    return inboundDropped.sum();
  }

  /** The connector of {@code peer}, created and dialling if new; null once closed, or for self. */
  private PeerConnector connectorFor(NodeId peer) {
    PeerConnector existing = peers.get(peer);
    if (existing != null || closed || peer.equals(localId)) {
      return existing;
    }
    return peers.computeIfAbsent(
        peer,
        id -> {
          PeerConnector connector =
              channels.connector(
                  new PeerLink(id, options.maxQueuedPerPeer(), clock),
                  resolver,
                  new Backoff(options.minBackoff(), options.maxBackoff(), random));
          connector.start();
          return connector;
        });
  }

  /** On an I/O thread: a message from the authenticated {@code peer}, addressed to this node. */
  private void receive(NodeId peer, PeerMessage message) {
    Consumer<RaftMessage> sink = inbound;
    if (!(message instanceof RaftMessage m) || sink == null) {
      inboundDropped.increment();
      log.debug("{}: dropping {} from {}: no handler for it", localId, message, peer);
      return;
    }
    PeerConnector connector = connectorFor(peer); // dials back a peer that dialled this node
    if (connector != null) {
      connector.link().recordReceived();
    }
    sink.accept(m);
  }

  /**
   * Stops dialling, closes the listening port (at once, so a restart can bind it again) and every
   * connection, and stops the I/O threads. Idempotent.
   */
  @Override
  public void close() {
    Channel listening;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      listening = server;
    }
    inbound = null;
    peers.values().forEach(PeerConnector::close);
    channels.close(listening);
    log.info("{}: transport closed", localId);
  }
}
