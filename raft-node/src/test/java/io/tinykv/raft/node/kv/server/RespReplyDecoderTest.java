package io.tinykv.raft.node.kv.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RespReplyDecoderTest {

  private static final List<Reply> EVERY_KIND =
      List.of(
          Reply.OK,
          Reply.simple(""),
          Reply.error("NOLEADER no leader is known"),
          Reply.integer(-42),
          Reply.integer(Long.MAX_VALUE),
          Reply.bulk("hello"),
          Reply.bulk(new byte[] {0, '\r', '\n', (byte) 0xff}),
          Reply.bulk(""),
          Reply.NULL_BULK,
          Reply.EMPTY_ARRAY,
          Reply.array(
              Reply.bulk("a"),
              Reply.NULL_BULK,
              Reply.array(Reply.integer(1), Reply.array(Reply.simple("deep"))),
              Reply.err("inside")));

  private static EmbeddedChannel channel() {
    return new EmbeddedChannel(new RespReplyDecoder(1024, 100));
  }

  private static byte[] encoded(List<Reply> replies) {
    List<byte[]> parts = new ArrayList<>();
    int size = 0;
    for (Reply r : replies) {
      byte[] bytes = RespEncoder.toBytes(r);
      parts.add(bytes);
      size += bytes.length;
    }
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  private static List<Reply> decoded(EmbeddedChannel channel) {
    List<Reply> out = new ArrayList<>();
    for (Object r = channel.readInbound(); r != null; r = channel.readInbound()) {
      out.add((Reply) r);
    }
    return out;
  }

  @Test
  void decodesEveryKindOfReplyInOneBuffer() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.wrappedBuffer(encoded(EVERY_KIND)));
    assertThat(decoded(channel)).isEqualTo(EVERY_KIND);
  }

  @Test
  void decodesInputSplitAtEveryByte() {
    EmbeddedChannel channel = channel();
    List<Reply> out = new ArrayList<>();
    for (byte b : encoded(EVERY_KIND)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
      out.addAll(decoded(channel));
    }
    assertThat(out).isEqualTo(EVERY_KIND);
  }

  @Test
  void passesNothingOnUntilAReplyIsComplete() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(
        Unpooled.copiedBuffer("*2\r\n$1\r\na\r\n$3\r\nbc", StandardCharsets.US_ASCII));
    assertThat(decoded(channel)).isEmpty();
    channel.writeInbound(Unpooled.copiedBuffer("d\r\n:7\r", StandardCharsets.US_ASCII));
    assertThat(decoded(channel)).containsExactly(Reply.array(Reply.bulk("a"), Reply.bulk("bcd")));
    channel.writeInbound(Unpooled.copiedBuffer("\n", StandardCharsets.US_ASCII));
    assertThat(decoded(channel)).containsExactly(Reply.integer(7));
  }

  @Test
  void aNullArrayIsReadAsNil() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.copiedBuffer("*-1\r\n", StandardCharsets.US_ASCII));
    assertThat(decoded(channel)).containsExactly(Reply.NULL_BULK);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "?what\r\n",
        "+no carriage return\n",
        "\r\n",
        "-\r\n",
        ":12x\r\n",
        "$5\r\nabcdefg\r\n",
        "$2000\r\n",
        "$-2\r\n",
        "*101\r\n",
      })
  void malformedOrOversizedInputIsRefused(String input) {
    EmbeddedChannel channel = channel();
    assertThatThrownBy(
            () -> channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1)))
        .isInstanceOf(DecoderException.class)
        .isInstanceOf(CorruptedFrameException.class);
  }

  @Test
  void aLineWithoutEndBeyondTheLimitIsRefused() {
    EmbeddedChannel channel = channel();
    byte[] line = new byte[RespReplyDecoder.MAX_LINE];
    Arrays.fill(line, (byte) 'x');
    line[0] = '+';
    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(line)))
        .isInstanceOf(CorruptedFrameException.class);
  }

  @Test
  void arraysNestedTooDeeplyAreRefused() {
    EmbeddedChannel channel = channel();
    String deep = "*1\r\n".repeat(RespReplyDecoder.MAX_DEPTH + 1) + ":1\r\n";
    assertThatThrownBy(
            () -> channel.writeInbound(Unpooled.copiedBuffer(deep, StandardCharsets.US_ASCII)))
        .isInstanceOf(CorruptedFrameException.class);
  }
}
