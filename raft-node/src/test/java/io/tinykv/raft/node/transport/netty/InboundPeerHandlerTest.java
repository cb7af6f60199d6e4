package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerAuthenticated;
import io.tinykv.raft.protocol.message.Heartbeat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The last handler of a peer link, fed by hand as if the handshake handler sat before it. */
class InboundPeerHandlerTest {

  private static final NodeId LOCAL = NodeId.of("a");
  private static final NodeId PEER = NodeId.of("b");
  private static final NodeId OTHER = NodeId.of("c");

  private final List<String> received = new ArrayList<>();
  private EmbeddedChannel channel;

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private EmbeddedChannel channel(boolean admit) {
    channel =
        new EmbeddedChannel(
            new InboundPeerHandler(
                LOCAL, "from", (ch, peer) -> admit, (peer, m) -> received.add(peer + ":" + m)));
    return channel;
  }

  private static Heartbeat heartbeat(NodeId from, NodeId to) {
    return new Heartbeat(from, to, 3, 7, 0);
  }

  @Test
  void passesMessagesFromTheAdmittedPeerTaggedWithIt() {
    EmbeddedChannel ch = channel(true);
    ch.pipeline().fireUserEventTriggered(new PeerAuthenticated(PEER));

    ch.writeInbound(heartbeat(PEER, LOCAL));

    assertThat(received).containsExactly(PEER + ":" + heartbeat(PEER, LOCAL));
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void dropsMessagesBeforeTheLinkIsAdmitted() {
    EmbeddedChannel ch = channel(true);

    ch.writeInbound(heartbeat(PEER, LOCAL));

    assertThat(received).isEmpty();
  }

  @Test
  void closesALinkTheGateRefuses() {
    EmbeddedChannel ch = channel(false);

    ch.pipeline().fireUserEventTriggered(new PeerAuthenticated(PEER));

    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void dropsMessagesNotFromTheAuthenticatedPeerOrNotForThisNode() {
    EmbeddedChannel ch = channel(true);
    ch.pipeline().fireUserEventTriggered(new PeerAuthenticated(PEER));

    ch.writeInbound(heartbeat(OTHER, LOCAL));
    ch.writeInbound(heartbeat(PEER, OTHER));

    assertThat(received).isEmpty();
  }

  @Test
  void anIdleLinkStaysOpenButAStalledOneIsClosed() {
    EmbeddedChannel ch = channel(true);
    ch.pipeline().fireUserEventTriggered(new PeerAuthenticated(PEER));

    ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    assertThat(ch.isOpen()).as("nothing waiting: merely idle").isTrue();

    ch.write(Unpooled.wrappedBuffer(new byte[16])) // queued, never flushed: the peer takes nothing
        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    ch.pipeline().fireUserEventTriggered(IdleStateEvent.WRITER_IDLE_STATE_EVENT);
    assertThat(ch.isOpen()).as("bytes waiting and no progress: stalled").isFalse();
  }
}
