package io.tinykv.raft.node.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one outbound connection to one peer: dials the peer's current address, attaches the
 * connection to the {@link PeerLink} once the handshake proved the peer's identity, and after a
 * failed attempt or a lost connection dials again after a {@link Backoff} delay, until closed.
 *
 * <p>The address is looked up on every attempt, so a peer that moves (or is added by a membership
 * change before its address was known) is found on the next try. A connection whose handshake names
 * another node than the one expected is refused: the address list is wrong.
 *
 * <p>All state except {@link #closed} is confined to one event loop, which also runs the
 * connection: no locks.
 */
final class PeerConnector {

  private static final Logger log = LoggerFactory.getLogger(PeerConnector.class);

  /** Installs the peer protocol on a dialled connection, ending in a handler using {@code gate}. */
  @FunctionalInterface
  interface DialledPipeline {
    void install(ChannelPipeline pipeline, InboundPeerHandler.Gate gate);
  }

  private final NodeId local;
  private final PeerLink link;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final Function<NodeId, Optional<NodeAddress>> resolver;
  private final Backoff backoff;
  private volatile boolean closed;

  // Confined to the event loop.
  private Channel current; // the connection being dialled, in its handshake, or attached
  private NodeAddress currentAddress; // of the last attempt; null if the peer had none
  private Throwable connectFailure; // why the current connection failed to connect, if it did
  private ScheduledFuture<?> retry;
  private int consecutiveFailures;

  /**
   * @param template a bootstrap with the channel type and options; cloned onto {@code loop}
   */
  PeerConnector(
      NodeId local,
      PeerLink link,
      EventLoop loop,
      Bootstrap template,
      DialledPipeline pipeline,
      Function<NodeId, Optional<NodeAddress>> resolver,
      Backoff backoff) {
    this.local = local;
    this.link = link;
    this.loop = loop;
    this.resolver = resolver;
    this.backoff = backoff;
    this.bootstrap =
        template
            .clone(loop)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    pipeline.install(ch.pipeline(), PeerConnector.this::admit);
                  }
                });
  }

  PeerLink link() {
    return link;
  }

  /** Dials the peer now (asynchronously). */
  void start() {
    onLoop(this::dial);
  }

  /** Stops dialling and closes the connection. Idempotent; from any thread. */
  void close() {
    closed = true;
    onLoop(
        () -> {
          if (retry != null) {
            retry.cancel(false);
            retry = null;
          }
          if (current != null) {
            current.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
          }
        });
  }

  private void dial() {
    retry = null;
    if (closed || current != null) {
      return;
    }
    Optional<NodeAddress> address = resolver.apply(link.peer());
    if (address.isEmpty()) {
      currentAddress = null;
      failed("no address is known for it");
      return;
    }
    NodeAddress target = address.get();
    connectFailure = null;
    ChannelFuture connect = bootstrap.connect(target.host(), target.port());
    Channel ch = connect.channel();
    current = ch;
    currentAddress = target;
    connect.addListener(
        f -> {
          if (!f.isSuccess()) {
            connectFailure = f.cause();
            ch.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
          }
        });
    ch.closeFuture().addListener(f -> onLoop(() -> onClosed(ch)));
  }

  /** The dialled connection's handshake succeeded with {@code peer}: use it, or refuse it. */
  private boolean admit(Channel ch, NodeId peer) {
    if (!peer.equals(link.peer())) {
      log.warn(
          "{}: {} answered as {}, not as {}: refusing the link; check the peer address list",
          local,
          currentAddress,
          peer,
          link.peer());
      return false;
    }
    if (closed || ch != current) {
      return false;
    }
    consecutiveFailures = 0;
    backoff.reset();
    link.attach(ch);
    return true;
  }

  private void onClosed(Channel ch) {
    if (ch != current) {
      return;
    }
    current = null;
    if (!link.detach(ch)) {
      failed(
          connectFailure != null
              ? String.valueOf(connectFailure.getMessage())
              : "the connection closed before the handshake completed");
      return;
    }
    scheduleRetry();
  }

  private void failed(String why) {
    link.recordConnectFailure();
    consecutiveFailures++;
    if (consecutiveFailures == 1) {
      log.info("{}: cannot reach peer {} at {}: {}; retrying", local, link.peer(), where(), why);
    } else {
      log.debug(
          "{}: cannot reach peer {} at {} ({} attempts): {}",
          local,
          link.peer(),
          where(),
          consecutiveFailures,
          why);
    }
    scheduleRetry();
  }

  private Object where() {
    return currentAddress == null ? "an unknown address" : currentAddress;
  }

  private void scheduleRetry() {
    if (closed) {
      return;
    }
    try {
      retry = loop.schedule(this::dial, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shuttingDown) {
      // the transport is closing
    }
  }

  private void onLoop(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException shuttingDown) {
      // the transport is closing; nothing left to do
    }
  }
}
