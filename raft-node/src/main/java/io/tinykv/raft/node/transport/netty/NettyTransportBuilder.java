package io.tinykv.raft.node.transport.netty;

import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.MessageCodec;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec;
import io.tinykv.raft.protocol.handshake.NonceSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a {@link NettyTransport}: {@link NettyTransport#builder}, then {@link #listen}, the peers
 * ({@link #peers} or {@link #peerResolver}), optionally the {@link #clientInitializer}, then {@link
 * #build}. Not thread-safe; one builder builds one transport.
 */
public final class NettyTransportBuilder {

  final PeerLinkConfig link;
  String host;
  int port = -1;
  Function<NodeId, Optional<NodeAddress>> resolver;
  Set<NodeId> eagerPeers = Set.of();
  ClientInitializer clients = ClientInitializer.refuseClients();
  NettyTransportOptions options = NettyTransportOptions.DEFAULTS;
  MessageCodec codec;
  NonceSource nonces;
  Random random;
  Clock clock = Clock.systemUTC();
  ClusterRequestHandler clusterRequests;

  NettyTransportBuilder(PeerLinkConfig link) {
    this.link = Objects.requireNonNull(link, "link");
  }

  /**
   * The local address to listen on for peers and clients ({@code --host}, {@code --port}); port 0
   * picks a free port, which {@link NettyTransport#bind()} returns. Required.
   */
  public NettyTransportBuilder listen(String host, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    return this;
  }

  /**
   * Answers cluster requests ({@code QUERY_LEADER}, {@code JOIN_CLUSTER}) arriving on accepted peer
   * links; without one they are dropped.
   */
  public NettyTransportBuilder clusterRequests(ClusterRequestHandler handler) {
    this.clusterRequests = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * A fixed address list of the other nodes; the transport dials them all as soon as it starts. The
   * list may include this node (a whole {@code --initial-cluster}); it does not dial itself.
   * Replaces any {@link #peerResolver}.
   */
  public NettyTransportBuilder peers(Map<NodeId, NodeAddress> addresses) {
    Map<NodeId, NodeAddress> copy = Map.copyOf(addresses);
    this.resolver = id -> Optional.ofNullable(copy.get(id));
    this.eagerPeers = copy.keySet();
    return this;
  }

  /**
   * Where peers are, looked up on every connection attempt, so membership changes can add peers and
   * move them. Peers are dialled when first sent to (or on {@link NettyTransport#connect}). Called
   * on I/O threads: must be thread-safe and must not block. Replaces any {@link #peers}.
   */
  public NettyTransportBuilder peerResolver(Function<NodeId, Optional<NodeAddress>> resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.eagerPeers = Set.of();
    return this;
  }

  /**
   * Sets up connections that are not peer links; default {@link ClientInitializer#refuseClients}.
   */
  public NettyTransportBuilder clientInitializer(ClientInitializer clients) {
    this.clients = Objects.requireNonNull(clients, "clients");
    return this;
  }

  /** Default {@link NettyTransportOptions#DEFAULTS}. */
  public NettyTransportBuilder options(NettyTransportOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  /** The wire format of messages; default a new {@link KryoMessageCodec}. */
  public NettyTransportBuilder codec(MessageCodec codec) {
    this.codec = Objects.requireNonNull(codec, "codec");
    return this;
  }

  /** Handshake nonces; default {@link NonceSource#secure()}. Tests may fix them. */
  public NettyTransportBuilder nonces(NonceSource nonces) {
    this.nonces = Objects.requireNonNull(nonces, "nonces");
    return this;
  }

  /** The source of reconnect jitter; default seeded from a {@link SecureRandom}. */
  public NettyTransportBuilder random(Random random) {
    this.random = Objects.requireNonNull(random, "random");
    return this;
  }

  /** The clock of {@link PeerLinkStats#lastContact()}; default the system clock. */
  public NettyTransportBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** A transport that is neither bound nor started; it owns its I/O threads until closed. */
  public NettyTransport build() {
    if (host == null) {
      throw new IllegalStateException("call listen(host, port) before build()");
    }
    if (resolver == null) {
      throw new IllegalStateException("call peers(...) or peerResolver(...) before build()");
    }
    if (codec == null) {
      codec = new KryoMessageCodec();
    }
    if (nonces == null) {
      nonces = NonceSource.secure();
    }
    if (random == null) {
      random = new Random(new SecureRandom().nextLong());
    }
    return new NettyTransport(this);
  }
}
