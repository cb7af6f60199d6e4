package io.tinykv.raft.protocol.codec;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.handshake.Handshake;
import io.tinykv.raft.protocol.handshake.HandshakeClient;
import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import io.tinykv.raft.protocol.handshake.HandshakeMessage;
import io.tinykv.raft.protocol.handshake.HandshakeServer;
import io.tinykv.raft.protocol.handshake.HandshakeStep;
import io.tinykv.raft.protocol.handshake.NonceSource;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link Handshake} on a peer connection and guards the connection afterwards. Sits right
 * after {@link PeerFrameDecoder} and {@link PeerFrameEncoder} in the pipeline ({@link PeerPipeline}
 * installs all three).
 *
 * <ul>
 *   <li>Until the handshake succeeds, nothing but handshake messages is read: a {@link PeerMessage}
 *       read before then closes the connection, and a {@link PeerMessage} written before then fails
 *       its write.
 *   <li>When the handshake succeeds, a {@link PeerAuthenticated} user event goes down the pipeline;
 *       from then on {@link PeerMessage}s pass both ways. A {@link RaftMessage} whose {@code from}
 *       is not the authenticated peer or whose {@code to} is not this node, or a late handshake
 *       message, closes the connection.
 *   <li>A failed handshake, or one not finished within the timeout, is logged with its reason and
 *       closes the connection (after sending the server's refusal, if any).
 * </ul>
 *
 * <p>One instance per connection.
 */
public final class HandshakeHandler extends ChannelDuplexHandler {

  private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

  private final Handshake handshake;
  private final NodeId localNode;
  private final Duration timeout;
  private boolean started;
  private boolean closing;
  private NodeId peer; // null until the handshake succeeded
  private ScheduledFuture<?> timeoutTask;

  private HandshakeHandler(Handshake handshake, NodeId localNode, Duration timeout) {
    this.handshake = handshake;
    this.localNode = localNode;
    this.timeout = PeerProtocol.requireValidHandshakeTimeout(timeout);
  }

  /** For a connection this node accepted: waits for the peer's Hello. */
  public static HandshakeHandler forAcceptedConnection(
      HandshakeConfig config, NonceSource nonces, Duration timeout) {
    return new HandshakeHandler(new HandshakeServer(config, nonces), config.localNode(), timeout);
  }

  /** For a connection this node dialled: sends the Hello as soon as the connection is active. */
  public static HandshakeHandler forDialledConnection(
      HandshakeConfig config, NonceSource nonces, Duration timeout) {
    return new HandshakeHandler(new HandshakeClient(config, nonces), config.localNode(), timeout);
  }

  /** The authenticated peer, once the handshake has succeeded. */
  public Optional<NodeId> peer() {
    return Optional.ofNullable(peer);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    begin(ctx);
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelTimeout();
    if (peer == null && !closing) {
      log.info("peer connection {} closed during the handshake", ctx.channel().remoteAddress());
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
    } else if (peer != null) {
      readAuthenticated(ctx, msg);
    } else if (msg instanceof HandshakeMessage m) {
      apply(ctx, handshake.receive(m));
    } else {
      ReferenceCountUtil.release(msg);
      close(ctx, "sent " + describe(msg) + " before the handshake completed", Optional.empty());
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (peer == null && msg instanceof PeerMessage) {
      promise.setFailure(
          new IllegalStateException("the peer link is not authenticated yet: " + describe(msg)));
      return;
    }
    super.write(ctx, msg, promise);
  }

  /** During the handshake an error ends it; afterwards it is the next handler's business. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (peer == null) {
      close(ctx, "error during the handshake: " + cause, Optional.empty());
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  private void begin(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    timeoutTask =
        ctx.executor()
            .schedule(
                () -> close(ctx, "handshake not completed within " + timeout, Optional.empty()),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    if (handshake instanceof HandshakeClient client) {
      send(ctx, client.start());
    }
  }

  private void readAuthenticated(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HandshakeMessage) {
      close(ctx, "sent " + describe(msg) + " after the handshake", Optional.empty());
    } else if (msg instanceof RaftMessage m
        && !(m.from().equals(peer) && m.to().equals(localNode))) {
      close(
          ctx,
          "sent a message from " + m.from() + " to " + m.to() + " on the link of " + peer,
          Optional.empty());
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void apply(ChannelHandlerContext ctx, HandshakeStep step) {
    if (step instanceof HandshakeStep.Continue c) {
      send(ctx, c.message());
    } else if (step instanceof HandshakeStep.Succeeded s) {
      cancelTimeout();
      s.reply().ifPresent(reply -> send(ctx, reply));
      peer = s.peer();
      log.info("peer link {} authenticated as {}", ctx.channel().remoteAddress(), peer);
      ctx.fireUserEventTriggered(new PeerAuthenticated(peer));
    } else if (step instanceof HandshakeStep.Failed f) {
      close(ctx, f.reason().description() + " (" + f.detail() + ")", f.reply());
    }
  }

  /** Logs why and closes, after flushing {@code lastWords} if present. Idempotent. */
  private void close(
      ChannelHandlerContext ctx, String reason, Optional<HandshakeMessage> lastWords) {
    if (closing) {
      return;
    }
    closing = true;
    cancelTimeout();
    log.warn("closing peer connection {}: {}", ctx.channel().remoteAddress(), reason);
    if (lastWords.isPresent()) {
      ctx.writeAndFlush(lastWords.get()).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
  }

  private static void send(ChannelHandlerContext ctx, HandshakeMessage message) {
    ctx.writeAndFlush(message).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  private void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }

  private static String describe(Object msg) {
    return msg.getClass().getSimpleName();
  }
}
