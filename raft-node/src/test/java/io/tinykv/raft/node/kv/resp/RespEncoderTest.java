package io.tinykv.raft.node.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespEncoderTest {

  @Test
  void simpleString() {
    assertThat(encode(Reply.OK)).isEqualTo("+OK\r\n");
    assertThat(encode(Reply.simple("PONG"))).isEqualTo("+PONG\r\n");
  }

  @Test
  void errors() {
    assertThat(encode(Reply.err("syntax error"))).isEqualTo("-ERR syntax error\r\n");
    assertThat(encode(Reply.error("NOAUTH Authentication required.")))
        .isEqualTo("-NOAUTH Authentication required.\r\n");
  }

  @Test
  void lineBreaksInSingleLineRepliesBecomeSpaces() {
    assertThat(encode(Reply.err("a\r\nb"))).isEqualTo("-ERR a  b\r\n");
    assertThat(encode(Reply.simple("x\ny"))).isEqualTo("+x y\r\n");
  }

  @Test
  void integers() {
    assertThat(encode(Reply.integer(0))).isEqualTo(":0\r\n");
    assertThat(encode(Reply.integer(-42))).isEqualTo(":-42\r\n");
    assertThat(encode(Reply.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
  }

  @Test
  void bulkStrings() {
    assertThat(encode(Reply.bulk("hello"))).isEqualTo("$5\r\nhello\r\n");
    assertThat(encode(Reply.bulk(""))).isEqualTo("$0\r\n\r\n");
    assertThat(encode(Reply.bulk(new byte[] {'\r', '\n', 0}))).isEqualTo("$3\r\n\r\n\0\r\n");
    assertThat(encode(Reply.NULL_BULK)).isEqualTo("$-1\r\n");
  }

  @Test
  void bulkStringsAreUtf8WhereText() {
    assertThat(RespEncoder.toBytes(Reply.bulk("é")))
        .isEqualTo("$2\r\né\r\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void arraysNest() {
    Reply reply =
        Reply.array(
            Reply.integer(1),
            Reply.array(Reply.bulk("a"), Reply.NULL_BULK),
            Reply.EMPTY_ARRAY,
            Reply.err("x"));
    assertThat(encode(reply)).isEqualTo("*4\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n*0\r\n-ERR x\r\n");
  }

  @Test
  void theNettyEncoderWritesTheSameBytes() {
    EmbeddedChannel channel = new EmbeddedChannel(new RespEncoder());
    channel.writeOutbound(Reply.array(List.of(Reply.bulk("k"), Reply.integer(7))));
    ByteBuf out = channel.readOutbound();
    try {
      assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("*2\r\n$1\r\nk\r\n:7\r\n");
    } finally {
      out.release();
    }
  }

  @Test
  void repliesAreValues() {
    assertThat(Reply.bulk("a")).isEqualTo(Reply.bulk("a".getBytes(StandardCharsets.UTF_8)));
    assertThat(Reply.bulk("a")).hasSameHashCodeAs(Reply.bulk("a"));
    assertThat(Reply.bulk("a")).isNotEqualTo(Reply.bulk("b"));
    byte[] content = {1, 2};
    Reply.BulkString bulk = Reply.bulk(content);
    content[0] = 9;
    assertThat(bulk.content()).containsExactly(1, 2);
    assertThatThrownBy(() -> Reply.error("")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String encode(Reply reply) {
    return new String(RespEncoder.toBytes(reply), StandardCharsets.ISO_8859_1);
  }
}
