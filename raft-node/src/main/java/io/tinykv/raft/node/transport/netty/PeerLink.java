package io.tinykv.raft.node.transport.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.EncoderException;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of the link to one peer, and its counters. {@link #send} never blocks: it drops
 * the message when no authenticated connection is attached, when the connection's socket buffer is
 * above its high-water mark, or when too many messages already wait; otherwise it queues the
 * message and makes sure one drain task is scheduled on the connection's event loop. The drain
 * writes everything queued and flushes once, so a burst of sends costs one task and one system call
 * rather than one each.
 *
 * <p>Thread-safe: {@link #send} and {@link #stats} from any thread; {@link #attach} and {@link
 * #detach} from the connection's event loop.
 */
final class PeerLink {

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  private final NodeId peer;
  private final int maxQueued;
  private final Clock clock;
  private final Queue<RaftMessage> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger(); // queue.size() without its O(n)
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private final ChannelFutureListener countWrite = this::countWrite;

  private final LongAdder sent = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder connects = new LongAdder();
  private volatile long lastContactMillis = -1; // -1: never

  /** The authenticated outbound connection, or null while there is none. */
  private volatile Channel channel;

  PeerLink(NodeId peer, int maxQueued, Clock clock) {
    this.peer = peer;
    this.maxQueued = maxQueued;
    this.clock = clock;
  }

  NodeId peer() {
    return peer;
  }

  /** Queues {@code message} for the peer, or counts it as dropped. Never blocks. */
  void send(RaftMessage message) {
    Channel ch = channel;
    if (ch == null || !ch.isWritable()) {
      dropped.increment();
      return;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.offer(message);
    scheduleDrain(ch);
  }

  private void scheduleDrain(Channel ch) {
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        ch.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException shuttingDown) {
        drainScheduled.set(false);
        dropQueued();
      }
    }
  }

  /**
   * On the event loop of the attached channel: writes up to a queue's worth of messages and flushes
   * once. If the channel was replaced by one on another event loop meanwhile, moves there first.
   */
  private void drain() {
    Channel ch = channel;
    if (ch == null) {
      drainScheduled.set(false);
      dropQueued();
      return;
    }
    if (!ch.eventLoop().inEventLoop()) {
      try {
        ch.eventLoop().execute(drainTask);
      } catch (RejectedExecutionException shuttingDown) {
        drainScheduled.set(false);
        dropQueued();
      }
      return;
    }
    drainScheduled.set(false);
    boolean wrote = false;
    for (int i = 0; i < maxQueued; i++) {
      RaftMessage message = queue.poll();
      if (message == null) {
        break;
      }
      queued.decrementAndGet();
      if (ch.isActive()) {
        ch.write(message).addListener(countWrite);
        wrote = true;
      } else {
        dropped.increment();
      }
    }
    if (wrote) {
      ch.flush();
    }
    if (!queue.isEmpty()) {
      scheduleDrain(ch); // sends that raced with this drain, or more than one batch
    }
  }

  private void countWrite(ChannelFuture write) {
    if (write.isSuccess()) {
      sent.increment();
      return;
    }
    dropped.increment();
    if (write.cause() instanceof EncoderException e) {
      // A message over the frame limit is a bug of the sender's batching, not a network fault.
      log.warn("could not send a message to {}: {}", peer, e.getMessage());
    }
  }

  private void dropQueued() {
    for (int i = 0; i < maxQueued && queue.poll() != null; i++) {
      queued.decrementAndGet();
      dropped.increment();
    }
  }

  /** From now on, sends go to {@code ch}, an authenticated connection to the peer. */
  void attach(Channel ch) {
    connects.increment();
    channel = ch;
  }

  /** {@code ch} is gone; returns whether it was the attached connection. */
  boolean detach(Channel ch) {
    if (channel != ch) {
      return false;
    }
    channel = null;
    return true;
  }

  void recordConnectFailure() {
    connectFailures.increment();
  }

  void recordReceived() {
    received.increment();
    lastContactMillis = clock.millis();
  }

  PeerLinkStats stats() {
    long last = lastContactMillis;
    return new PeerLinkStats(
        peer,
        channel != null,
        sent.sum(),
        received.sum(),
        dropped.sum(),
        connectFailures.sum(),
        Math.max(0, connects.sum() - 1),
        last < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(last)));
  }
}
