package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.Heartbeat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sending side of a link on an {@link EmbeddedChannel}, whose tasks run when told to. */
class PeerLinkTest {

  private static final NodeId LOCAL = NodeId.of("a");
  private static final NodeId PEER = NodeId.of("b");
  private static final Instant NOW = Instant.parse("2024-06-01T12:00:00Z");

  private final FlushCounter flushes = new FlushCounter();
  private final EmbeddedChannel channel = new EmbeddedChannel(flushes);
  private final PeerLink link = new PeerLink(PEER, 3, Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private Object next() {
    return channel.readOutbound();
  }

  private static Heartbeat heartbeat(long commit) {
    return new Heartbeat(LOCAL, PEER, 1, commit, 0);
  }

  @Test
  void dropsWhileNoConnectionIsAttached() {
    link.send(heartbeat(1));

    PeerLinkStats stats = link.stats();
    assertThat(stats.connected()).isFalse();
    assertThat(stats.messagesDropped()).isEqualTo(1);
    assertThat(stats.losses()).isEqualTo(1);
  }

  @Test
  void writesABurstInOrderWithOneFlush() {
    link.attach(channel);

    link.send(heartbeat(1));
    link.send(heartbeat(2));
    link.send(heartbeat(3));
    assertThat(next()).as("nothing before the drain runs").isNull();
    channel.runPendingTasks();

    assertThat(next()).isEqualTo(heartbeat(1));
    assertThat(next()).isEqualTo(heartbeat(2));
    assertThat(next()).isEqualTo(heartbeat(3));
    assertThat(flushes.count).isEqualTo(1);
    assertThat(link.stats().messagesSent()).isEqualTo(3);
    assertThat(link.stats().connected()).isTrue();
  }

  @Test
  void dropsBeyondTheQueueLimit() {
    link.attach(channel);

    for (int i = 1; i <= 5; i++) {
      link.send(heartbeat(i));
    }
    channel.runPendingTasks();

    assertThat(link.stats().messagesSent()).isEqualTo(3);
    assertThat(link.stats().messagesDropped()).isEqualTo(2);
  }

  @Test
  void dropsWhileTheSocketBufferIsAboveItsHighWaterMark() {
    channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
    link.attach(channel);
    channel
        .write(Unpooled.wrappedBuffer(new byte[64]))
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE); // written, not flushed
    assertThat(channel.isWritable()).isFalse();

    link.send(heartbeat(1));

    assertThat(link.stats().messagesDropped()).isEqualTo(1);
  }

  @Test
  void dropsWhatWasQueuedForAConnectionThatWentAway() {
    link.attach(channel);
    link.send(heartbeat(1));
    link.detach(channel);
    channel.runPendingTasks();

    assertThat(link.stats().messagesDropped()).isEqualTo(1);
    assertThat(link.stats().connected()).isFalse();
  }

  @Test
  void countsReconnectsAndContacts() {
    link.attach(channel);
    link.detach(channel);
    link.attach(channel);
    link.recordReceived();
    link.recordConnectFailure();

    PeerLinkStats stats = link.stats();
    assertThat(stats.reconnects()).isEqualTo(1);
    assertThat(stats.messagesReceived()).isEqualTo(1);
    assertThat(stats.lastContact()).contains(NOW);
    assertThat(stats.connectFailures()).isEqualTo(1);
  }

  private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void flush(ChannelHandlerContext ctx) {
      count++;
      ctx.flush();
    }
  }
}
