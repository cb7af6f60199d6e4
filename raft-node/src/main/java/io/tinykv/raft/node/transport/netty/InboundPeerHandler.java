package io.tinykv.raft.node.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerAuthenticated;
import io.tinykv.raft.protocol.message.ClusterMessage;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a peer link, after the protocol's frame codec and handshake ({@code
 * PeerPipeline}): reports the authenticated peer to a {@link Gate}, then hands every message to a
 * {@link Sink} tagged with that peer, except Raft messages that are not from that peer to this
 * node, which it drops and logs. Logs the link's ups and downs with the peer id.
 *
 * <p>On a dialled link it also closes a stalled connection: when an {@code IdleStateHandler}
 * (observing output) reports that nothing was written for a while although bytes are waiting, the
 * peer has stopped reading (a dead host, a hung process), and a fresh connection is the way out.
 *
 * <p>One instance per connection; all calls on the connection's event loop.
 */
final class InboundPeerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(InboundPeerHandler.class);

  /** Decides whether a freshly authenticated link may be used. */
  @FunctionalInterface
  interface Gate {
    /** Returns false to refuse the link, which is then closed. */
    boolean admit(Channel channel, NodeId peer);
  }

  /** Where messages from authenticated peers go. */
  @FunctionalInterface
  interface Sink {
    void receive(NodeId peer, PeerMessage message);
  }

  private final NodeId local;
  private final String direction;
  private final Gate gate;
  private final Sink sink;
  private final ClusterRequestHandler requests; // null: cluster requests are not served here
  private NodeId peer; // null until authenticated and admitted

  /**
   * @param local this node, for the log
   * @param direction how the log names the link's direction: "from" (accepted) or "to" (dialled)
   */
  InboundPeerHandler(NodeId local, String direction, Gate gate, Sink sink) {
    this(local, direction, gate, sink, null);
  }

  /**
   * @param requests answers cluster requests on this link, or null to pass them to {@code sink}
   */
  InboundPeerHandler(
      NodeId local, String direction, Gate gate, Sink sink, ClusterRequestHandler requests) {
    this.local = local;
    this.direction = direction;
    this.gate = gate;
    this.sink = sink;
    this.requests = requests;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof PeerAuthenticated authenticated) {
      if (gate.admit(ctx.channel(), authenticated.peer())) {
        peer = authenticated.peer();
        log.info("{}: peer link {} {} ({}) is up", local, direction, peer, remote(ctx));
      } else {
        ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      }
    } else if (event instanceof IdleStateEvent && hasPendingWrites(ctx.channel())) {
      log.warn(
          "{}: closing the stalled peer link {} {} ({}): it has taken no bytes for a while",
          local,
          direction,
          peer,
          remote(ctx));
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (peer == null || !(msg instanceof PeerMessage message)) {
      log.warn("{}: dropping {} from {}: not an admitted peer", local, msg.getClass(), remote(ctx));
      ReferenceCountUtil.release(msg);
    } else if (message instanceof RaftMessage m
        && !(m.from().equals(peer) && m.to().equals(local))) {
      // The handshake handler already closes such links; this keeps the promise on its own.
      log.warn(
          "{}: dropping a message from {} to {} that arrived on the link {} {}",
          local,
          m.from(),
          m.to(),
          direction,
          peer);
    } else if (message instanceof ClusterMessage request && requests != null) {
      answer(ctx, request);
    } else {
      sink.receive(peer, message);
    }
  }

  private void answer(ChannelHandlerContext ctx, ClusterMessage request) {
    NodeId from = peer;
    var unused =
        requests
            .handle(from, request)
            .whenComplete((response, failure) -> reply(ctx, from, request, response, failure));
  }

  private void reply(
      ChannelHandlerContext ctx,
      NodeId from,
      ClusterMessage request,
      ClusterMessage response,
      Throwable failure) {
    if (response != null) {
      var unused =
          ctx.writeAndFlush(response).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    } else {
      log.warn("{}: no answer to {} from {}", local, request, from, failure);
      var unused = ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer != null) {
      log.info("{}: peer link {} {} ({}) is down", local, direction, peer, remote(ctx));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.info(
          "{}: peer link {} {} ({}) failed: {}",
          local,
          direction,
          peer,
          remote(ctx),
          cause.toString());
    } else {
      log.warn(
          "{}: closing peer link {} {} ({}) after an error",
          local,
          direction,
          peer,
          remote(ctx),
          cause);
    }
    ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  private static Object remote(ChannelHandlerContext ctx) {
    return ctx.channel().remoteAddress();
  }

  private static boolean hasPendingWrites(Channel channel) {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer != null && buffer.totalPendingWriteBytes() > 0;
  }
}
