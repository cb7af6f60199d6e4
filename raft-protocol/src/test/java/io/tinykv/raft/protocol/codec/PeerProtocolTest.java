package io.tinykv.raft.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tinykv.raft.protocol.codec.PeerProtocol.Detection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeerProtocolTest {

  @Test
  void aPeerIsRecognisedByItsFirstFourBytes() {
    assertThat(detect("TKVR")).isEqualTo(Detection.PEER);
    assertThat(detect("TKVR\0\0\0\2\1\5")).isEqualTo(Detection.PEER);
  }

  @Test
  void aPrefixOfTheMagicAsksForMoreBytes() {
    assertThat(detect("")).isEqualTo(Detection.NEED_MORE_BYTES);
    assertThat(detect("T")).isEqualTo(Detection.NEED_MORE_BYTES);
    assertThat(detect("TKV")).isEqualTo(Detection.NEED_MORE_BYTES);
  }

  @Test
  void respAndInlineClientsAreNotPeers() {
    assertThat(detect("*1\r\n$4\r\nPING\r\n")).isEqualTo(Detection.NOT_PEER);
    assertThat(detect("SET k v\r\n")).isEqualTo(Detection.NOT_PEER);
    assertThat(detect("TKVX")).isEqualTo(Detection.NOT_PEER);
    assertThat(detect("tkvr")).isEqualTo(Detection.NOT_PEER);
    assertThat(detect("TX")).isEqualTo(Detection.NOT_PEER);
  }

  @Test
  void detectionLeavesTheBytesUnread() {
    ByteBuf buf = Unpooled.copiedBuffer("xxTKVR", StandardCharsets.US_ASCII);
    buf.readerIndex(2);
    assertThat(PeerProtocol.detect(buf)).isEqualTo(Detection.PEER);
    assertThat(buf.readerIndex()).isEqualTo(2);
    assertThat(PeerProtocol.magic()).asString(StandardCharsets.US_ASCII).isEqualTo("TKVR");
  }

  private static Detection detect(String text) {
    return PeerProtocol.detect(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
  }
}
