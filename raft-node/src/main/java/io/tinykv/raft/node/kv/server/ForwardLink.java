package io.tinykv.raft.node.kv.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RESP connection from a {@link LeaderForwarder} to a leader's client port. Requests are
 * pipelined: written in order and matched to replies in order (first in, first out). A request is
 * written once; nothing is ever resent.
 *
 * <p>A request not yet written when the link fails (the connection could not be made) completes
 * with a retryable {@code -NOLEADER}; a request written but unanswered when the connection drops
 * completes with "outcome unknown". Confined to one event loop: every method runs on it.
 */
final class ForwardLink extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(ForwardLink.class);

  private static final RespRequestEncoder ENCODER = new RespRequestEncoder();

  /** Forwarded replies are write results: small, but allow what a client may receive. */
  private static final int MAX_BULK = 512 * 1024 * 1024;

  private static final int MAX_ARRAY = 1024 * 1024;

  private final NodeId target;
  private final NodeAddress address;

  /** Requests waiting for the connection; empty once connected. */
  private final ArrayDeque<Waiting> unsent = new ArrayDeque<>();

  /** The replies due for written requests, in write order. */
  private final ArrayDeque<Awaited> awaiting = new ArrayDeque<>();

  /** Null until connected. */
  private Channel channel;

  /** Failed or closed: sends complete at once with an error. */
  private boolean dead;

  /** No longer the forwarder's link: close once every written request is answered. */
  private boolean retiring;

  private record Waiting(RespRequest request, CompletableFuture<Reply> reply) {}

  /** A written request: a forwarded one with its client's reply, or a handshake command. */
  private record Awaited(CompletableFuture<Reply> reply, String handshake) {}

  private ForwardLink(NodeId target, NodeAddress address) {
    this.target = target;
    this.address = address;
  }

  /**
   * Starts connecting to {@code target}; the {@code handshake} requests are written first, before
   * any forwarded request.
   */
  static ForwardLink open(
      EventLoop loop,
      NodeId target,
      NodeAddress address,
      List<RespRequest> handshake,
      int connectTimeoutMillis) {
    ForwardLink link = new ForwardLink(target, address);
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(ENCODER, new RespReplyDecoder(MAX_BULK, MAX_ARRAY), link);
                  }
                })
            .connect(address.host(), address.port());
    connect.addListener((ChannelFutureListener) f -> link.connected(f, handshake));
    return link;
  }

  NodeId target() {
    return target;
  }

  boolean isDead() {
    return dead;
  }

  void send(RespRequest request, CompletableFuture<Reply> reply) {
    if (dead) {
      reply.complete(notSent("the connection is closed"));
    } else if (channel == null) {
      unsent.add(new Waiting(request, reply));
    } else {
      write(request, reply);
      channel.flush();
    }
  }

  /** Closes once every written request is answered. */
  void retire() {
    retiring = true;
    closeIfDone();
  }

  /** Closes now: unanswered requests complete with "outcome unknown". */
  void close() {
    if (channel != null) {
      channel.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    } else {
      dead = true;
      failUnsent("the forwarder closed");
    }
  }

  private void connected(ChannelFuture connect, List<RespRequest> handshake) {
    if (!connect.isSuccess()) {
      dead = true;
      Throwable cause = connect.cause();
      LOG.warn("cannot connect to the leader {} at {}: {}", target, address, cause.toString());
      failUnsent("cannot connect: " + (cause.getMessage() != null ? cause.getMessage() : cause));
      return;
    }
    if (dead) {
      // Closed while connecting.
      connect.channel().close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      return;
    }
    channel = connect.channel();
    for (RespRequest request : handshake) {
      write(request, new Awaited(null, request.commandName()));
    }
    while (!unsent.isEmpty()) {
      Waiting w = unsent.poll();
      write(w.request(), w.reply());
    }
    channel.flush();
  }

  private void write(RespRequest request, CompletableFuture<Reply> reply) {
    write(request, new Awaited(reply, null));
  }

  private void write(RespRequest request, Awaited awaited) {
    awaiting.add(awaited);
    // A failed write leaves the stream in an unknown state: close, which fails what is awaited.
    channel.write(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Awaited awaited = awaiting.poll();
    Reply reply = (Reply) msg;
    if (awaited == null) {
      LOG.warn("the leader {} sent a reply nobody asked for: {}; closing", target, reply);
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      return;
    }
    if (awaited.reply() != null) {
      awaited.reply().complete(reply);
    } else if (!Reply.OK.equals(reply)) {
      // The forwarded requests' own replies will say what this means (-NOAUTH, ...).
      LOG.warn("the leader {} refused {}: {}", target, awaited.handshake(), reply);
    }
    closeIfDone();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    dead = true;
    String lost =
        "the connection to the leader " + target + " at " + address + " closed after forwarding";
    while (!awaiting.isEmpty()) {
      CompletableFuture<Reply> reply = awaiting.poll().reply();
      if (reply != null) {
        reply.complete(ServerErrors.outcomeUnknown(lost));
      }
    }
    failUnsent("the connection closed");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.warn("forwarding link to the leader {} at {} failed; closing", target, address, cause);
    ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  private void closeIfDone() {
    if (retiring && awaiting.isEmpty() && unsent.isEmpty() && channel != null) {
      channel.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
  }

  private void failUnsent(String why) {
    while (!unsent.isEmpty()) {
      unsent.poll().reply().complete(notSent(why));
    }
  }

  private Reply.ErrorReply notSent(String why) {
    return LeaderForwarder.notSent(target, "the leader's address " + address + ": " + why);
  }
}
