package io.tinykv.raft.node.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.MessageCodec;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.codec.PeerPipeline;
import io.tinykv.raft.protocol.handshake.NonceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Netty plumbing of a {@link NettyTransport}: the event loops, the listening socket with its
 * {@link PortUnificationHandler}, the pipelines of peer links, and the set of open connections.
 * Knows nothing of peers' state or of where messages go: accepted peer links are admitted by {@code
 * acceptGate}, and every message read from a peer goes to {@code sink}.
 *
 * <p>Thread-safe.
 */
final class NettyChannels {

  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private final NodeId localId;
  private final MessageCodec codec;
  private final PeerLinkConfig linkConfig;
  private final NonceSource nonces;
  private final NettyTransportOptions options;
  private final InboundPeerHandler.Gate acceptGate;
  private final InboundPeerHandler.Sink sink;
  private final ClusterRequestHandler clusterRequests;
  private final EventLoopGroup group;
  private final Bootstrap dialTemplate;

  /**
   * Every open connection, accepted or dialled, peer or client; closed ones leave by themselves.
   */
  private final ChannelGroup connections;

  NettyChannels(
      NettyTransportBuilder b, InboundPeerHandler.Gate acceptGate, InboundPeerHandler.Sink sink) {
    this.localId = b.link.handshake().localNode();
    this.codec = b.codec;
    this.linkConfig = b.link;
    this.nonces = b.nonces;
    this.options = b.options;
    this.acceptGate = acceptGate;
    this.sink = sink;
    this.clusterRequests = b.clusterRequests;
    this.connections =
        new DefaultChannelGroup("tinykv-net-" + localId, GlobalEventExecutor.INSTANCE);
    this.group =
        new MultiThreadIoEventLoopGroup(
            options.ioThreads(),
            new DefaultThreadFactory("tinykv-net-" + localId, true),
            NioIoHandler.newFactory());
    this.dialTemplate =
        new Bootstrap()
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(
                    options.writeBufferLowBytes(), options.writeBufferHighBytes()));
  }

  /**
   * Binds the shared port; waits for the outcome. Each accepted connection goes to {@code clients}
   * unless it opens with the peer magic.
   */
  ChannelFuture listen(String host, int port, ClientInitializer clients) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true) // a restarted node rebinds its port at once
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childHandler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                connections.add(ch);
                ch.pipeline()
                    .addLast(new PortUnificationHandler(NettyChannels.this::accepted, clients));
              }
            })
        .bind(host, port)
        .awaitUninterruptibly();
  }

  /** A new connector for {@code link}, on one of the event loops. */
  PeerConnector connector(
      PeerLink link, Function<NodeId, Optional<NodeAddress>> resolver, Backoff backoff) {
    EventLoop loop = group.next();
    return new PeerConnector(localId, link, loop, dialTemplate, this::dialled, resolver, backoff);
  }

  /** The pipeline of a connection this node accepted and recognised as a peer link. */
  private void accepted(ChannelPipeline pipeline) {
    PeerPipeline.addForAcceptedConnection(pipeline, codec, linkConfig, nonces);
    pipeline.addLast(new InboundPeerHandler(localId, "from", acceptGate, sink, clusterRequests));
  }

  /**
   * The pipeline of a connection this node dialled; {@code gate} decides whether to use it. A
   * stalled connection is closed (see {@link InboundPeerHandler}).
   */
  private void dialled(ChannelPipeline pipeline, InboundPeerHandler.Gate gate) {
    connections.add(pipeline.channel());
    PeerPipeline.addForDialledConnection(pipeline, codec, linkConfig, nonces);
    long stall = options.stallTimeout().toMillis();
    pipeline.addLast(new IdleStateHandler(true, 0, stall, 0, TimeUnit.MILLISECONDS));
    pipeline.addLast(new InboundPeerHandler(localId, "to", gate, sink));
  }

  /**
   * Closes {@code listening} (if not null) and every connection, then stops the event loops. Closes
   * connections explicitly, so that peers see them end now rather than whenever the loops get to
   * it, which matters to a node restarting in the same process. Waits for all that, except on an
   * event loop (waiting there for the loops would deadlock).
   */
  void close(Channel listening) {
    boolean mayWait = !onOwnThread();
    List<Future<?>> closing = new ArrayList<>();
    if (listening != null) {
      closing.add(listening.close());
    }
    closing.add(connections.close());
    if (mayWait) {
      closing.forEach(f -> f.awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    }
    Future<?> stopped = group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    if (mayWait) {
      stopped.awaitUninterruptibly(CLOSE_TIMEOUT_SECONDS + 1, TimeUnit.SECONDS);
    }
  }

  private boolean onOwnThread() {
    for (EventExecutor executor : group) {
      if (executor.inEventLoop()) {
        return true;
      }
    }
    return false;
  }
}
