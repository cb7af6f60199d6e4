package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tinykv.raft.protocol.codec.PeerProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The first bytes of an accepted connection decide its pipeline, and no byte is lost. */
class PortUnificationHandlerTest {

  private final List<String> installed = new ArrayList<>();
  private EmbeddedChannel channel;

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private EmbeddedChannel channel(ClientInitializer clients) {
    Consumer<ChannelPipeline> peers = p -> installed.add("peer");
    ClientInitializer recordingClients =
        p -> {
          installed.add("client");
          clients.initialize(p);
        };
    channel = new EmbeddedChannel(new PortUnificationHandler(peers, recordingClients));
    return channel;
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  /** Everything that passed the (removed) unification handler, as text. */
  private static String passedOn(EmbeddedChannel channel) {
    StringBuilder text = new StringBuilder();
    for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
      ByteBuf buf = (ByteBuf) m;
      text.append(buf.toString(StandardCharsets.US_ASCII));
      buf.release();
    }
    return text.toString();
  }

  @Test
  void waitsWhileTheFirstBytesCouldStillBeTheMagic() {
    EmbeddedChannel ch = channel(p -> {});

    ch.writeInbound(ascii("T"));
    ch.writeInbound(ascii("K"));

    assertThat(installed).isEmpty();
    assertThat(ch.pipeline().get(PortUnificationHandler.class)).isNotNull();
    assertThat(passedOn(ch)).isEmpty();
  }

  @Test
  void aClientThatStartsLikeTheMagicGetsTheClientPipelineWithEveryByte() {
    EmbeddedChannel ch = channel(p -> {});

    ch.writeInbound(ascii("T"));
    ch.writeInbound(ascii("YPE key\r\n"));
    ch.writeInbound(ascii("PING\r\n"));

    assertThat(installed).containsExactly("client");
    assertThat(ch.pipeline().get(PortUnificationHandler.class)).isNull();
    assertThat(passedOn(ch)).isEqualTo("TYPE key\r\nPING\r\n");
  }

  @Test
  void clientHandlersSeeChannelActiveBeforeTheFirstBytes() {
    List<String> events = new ArrayList<>();
    EmbeddedChannel ch =
        channel(
            p ->
                p.addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelActive(ChannelHandlerContext ctx) {
                        events.add("active");
                      }

                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        events.add(buf.toString(StandardCharsets.US_ASCII));
                        buf.release();
                      }
                    }));

    ch.writeInbound(ascii("PING\r\n"));

    assertThat(events).containsExactly("active", "PING\r\n");
  }

  @Test
  void aRespArrayGoesToTheClientPipelineAtOnce() {
    EmbeddedChannel ch = channel(p -> {});

    ch.writeInbound(ascii("*1\r\n$4\r\nPING\r\n"));

    assertThat(installed).containsExactly("client");
    assertThat(passedOn(ch)).isEqualTo("*1\r\n$4\r\nPING\r\n");
  }

  @Test
  void theMagicGetsThePeerPipelineWithTheMagicIncluded() {
    EmbeddedChannel ch = channel(p -> {});
    byte[] magic = PeerProtocol.magic();

    ch.writeInbound(Unpooled.wrappedBuffer(magic, 0, 2));
    ch.writeInbound(Unpooled.wrappedBuffer(magic, 2, 2));
    ch.writeInbound(ascii("frames"));

    assertThat(installed).containsExactly("peer");
    assertThat(passedOn(ch)).isEqualTo("TKVRframes");
  }

  @Test
  void aFailingClientInitializerClosesTheConnection() {
    EmbeddedChannel ch =
        channel(
            p -> {
              throw new IllegalStateException("no RESP server today");
            });

    ch.writeInbound(ascii("PING\r\n"));

    assertThat(ch.isOpen()).isFalse();
    assertThat(installed).containsExactly("client");
  }
}
