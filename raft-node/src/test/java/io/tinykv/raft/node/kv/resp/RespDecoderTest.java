package io.tinykv.raft.node.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RespDecoderTest {

  private static final RespLimits SMALL = new RespLimits(4, 10, 20, 25);

  @Test
  void decodesAMultibulkRequest() {
    assertThat(decode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n"))
        .containsExactly(RespRequest.of("SET", "k", "value"));
  }

  @Test
  void bulkStringsAreBinarySafe() {
    byte[] binary = {0, '\r', '\n', (byte) 0xff, '$', '*'};
    byte[] input = concat(bytes("*2\r\n$3\r\nGET\r\n$6\r\n"), binary, bytes("\r\n"));
    assertThat(decode(SMALL, input)).containsExactly(RespRequest.of(bytes("GET"), binary));
  }

  @Test
  void emptyBulkStringIsAnEmptyArgument() {
    assertThat(decode("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n"))
        .containsExactly(RespRequest.of("ECHO", ""));
  }

  @Test
  void pipelinedRequestsDecodeInOrder() {
    String input =
        String.join(
            "",
            "*1\r\n$4\r\nPING\r\n",
            "GET a\r\n",
            "*2\r\n$3\r\nGET\r\n$1\r\nb\r\n",
            "INCR c\n",
            "*3\r\n$3\r\nSET\r\n$1\r\nd\r\n$1\r\n1\r\n");
    assertThat(decode(input))
        .containsExactly(
            RespRequest.of("PING"),
            RespRequest.of("GET", "a"),
            RespRequest.of("GET", "b"),
            RespRequest.of("INCR", "c"),
            RespRequest.of("SET", "d", "1"));
  }

  @Test
  void decodesTheSameRequestsFedOneByteAtATime() {
    String input =
        String.join(
            "",
            "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$11\r\nhello world\r\n",
            "SET \"quoted key\" 'single'\r\n",
            "*0\r\n",
            "\r\n",
            "*2\r\n$4\r\nECHO\r\n$12\r\n*1\r\n$4\r\nPING\r\n");
    EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULTS));
    for (byte b : bytes(input)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(drain(channel))
        .containsExactly(
            RespRequest.of("SET", "key", "hello world"),
            RespRequest.of("SET", "quoted key", "single"),
            RespRequest.of("ECHO", "*1\r\n$4\r\nPING"));
  }

  @Test
  void aRequestSplitAcrossBuffersIsPassedOnWhenComplete() {
    EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULTS));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("*2\r\n$3\r\nGET\r\n$5\r\nhel")));
    assertThat(drain(channel)).isEmpty();
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("lo\r\nPI")));
    assertThat(drain(channel)).containsExactly(RespRequest.of("GET", "hello"));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("NG\r\n")));
    assertThat(drain(channel)).containsExactly(RespRequest.of("PING"));
  }

  @Test
  void inlineCommandsEndWithCrLfOrLf() {
    assertThat(decode("SET key value\r\nGET key\n"))
        .containsExactly(RespRequest.of("SET", "key", "value"), RespRequest.of("GET", "key"));
  }

  @Test
  void blankInlineLinesAndEmptyMultibulksAreSkipped() {
    assertThat(decode("\r\n\n   \r\n*0\r\n*-1\r\nPING\r\n"))
        .containsExactly(RespRequest.of("PING"));
  }

  static Stream<Arguments> quotedInlineCommands() {
    return Stream.of(
        arguments("SET  k   v  \t x   ", List.of("SET", "k", "v", "x")),
        arguments("SET \"a b\" \"c\\\"d\"", List.of("SET", "a b", "c\"d")),
        arguments("SET k \"\\x41\\x62\\n\\r\\t\"", List.of("SET", "k", "Ab\n\r\t")),
        arguments("SET k \"\\xZZ\"", List.of("SET", "k", "xZZ")),
        arguments("SET k 'it\\'s'", List.of("SET", "k", "it's")),
        arguments("SET k 'a\\nb'", List.of("SET", "k", "a\\nb")),
        arguments("SET a\"b c\" d", List.of("SET", "ab c", "d")),
        arguments("SET k \"\"", List.of("SET", "k", "")),
        arguments("SET k \"\\q\\\\\"", List.of("SET", "k", "q\\")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quotedInlineCommands")
  void inlineQuotingFollowsRedis(String line, List<String> expected) {
    List<Object> out = decode(line + "\r\n");
    assertThat(out).hasSize(1).first().isInstanceOf(RespRequest.class);
    RespRequest request = (RespRequest) out.get(0);
    List<String> args = new ArrayList<>();
    for (int i = 0; i < request.size(); i++) {
      args.add(request.argString(i));
    }
    assertThat(args).isEqualTo(expected);
  }

  static Stream<Arguments> malformedInput() {
    return Stream.of(
        arguments("SET k \"unterminated\n", "unbalanced quotes in request"),
        arguments("SET k 'unterminated\n", "unbalanced quotes in request"),
        arguments("SET k \"closed\"x\n", "unbalanced quotes in request"),
        arguments("SET k 'closed'x\n", "unbalanced quotes in request"),
        arguments("SET a\"b c\"d\n", "unbalanced quotes in request"),
        arguments("*x\r\n", "invalid multibulk length"),
        arguments("*\r\n", "invalid multibulk length"),
        arguments("*01\r\n", "invalid multibulk length"),
        arguments("*3000000000\r\n", "invalid multibulk length"),
        arguments("*1\r\n:1\r\n", "expected '$', got ':'"),
        arguments("*1\r\n$x\r\n", "invalid bulk length"),
        arguments("*1\r\n$-5\r\n", "invalid bulk length"),
        arguments("*1\r\n$3\r\nabcd\r\n", "expected CRLF after a bulk string of 3 bytes"),
        arguments("*1\n", "expected CRLF after the multibulk length"),
        arguments("*1\r\n$1\n", "expected CRLF after the bulk length"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedInput")
  void malformedInputIsAProtocolError(String input, String reason) {
    assertThat(decode(input)).containsExactly(new RespProtocolError(reason));
  }

  @Test
  void controlBytesAreShownEscapedInTheError() {
    assertThat(decode("*1\r\n\u0001"))
        .containsExactly(new RespProtocolError("expected '$', got '\\x01'"));
  }

  @Test
  void theErrorReplyIsRedisWorded() {
    assertThat(new RespProtocolError("invalid bulk length").reply().message())
        .isEqualTo("ERR Protocol error: invalid bulk length");
  }

  @Test
  void requestsBeforeAViolationComeFirstAndInputAfterItIsDiscarded() {
    EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(RespLimits.DEFAULTS));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n*1\r\n$x\r\nGET a\r\n")));
    channel.writeInbound(Unpooled.wrappedBuffer(bytes("PING\r\n")));
    assertThat(drain(channel))
        .containsExactly(RespRequest.of("PING"), new RespProtocolError("invalid bulk length"));
  }

  @Test
  void tooManyArgumentsInAMultibulk() {
    assertThat(decode(SMALL, bytes("*5\r\n")))
        .containsExactly(new RespProtocolError("request has 5 arguments, the limit is 4"));
  }

  @Test
  void tooManyArgumentsInAnInlineCommand() {
    assertThat(decode(SMALL, bytes("a b c d e\r\n")))
        .containsExactly(new RespProtocolError("request has 5 arguments, the limit is 4"));
  }

  @Test
  void aBulkOverTheLimitIsRefusedFromItsHeader() {
    assertThat(decode(SMALL, bytes("*2\r\n$3\r\nGET\r\n$11\r\n")))
        .containsExactly(new RespProtocolError("bulk length 11 exceeds the limit of 10 bytes"));
  }

  @Test
  void aRequestOverTheTotalLimitIsRefused() {
    assertThat(decode(SMALL, bytes("*3\r\n$10\r\n0123456789\r\n$10\r\n0123456789\r\n$6\r\n")))
        .containsExactly(new RespProtocolError("request exceeds the limit of 25 bytes"));
  }

  @Test
  void anInlineLineOverTheLimitIsRefusedBeforeItEnds() {
    // 21 bytes could still be 20 and a CR; 22 cannot
    assertThat(decode(SMALL, bytes("GET " + "x".repeat(17)))).isEmpty();
    assertThat(decode(SMALL, bytes("GET " + "x".repeat(18))))
        .containsExactly(new RespProtocolError("too big inline request (the limit is 20 bytes)"));
  }

  @Test
  void anInlineLineOneOverTheLimitIsRefusedWhenItEnds() {
    assertThat(decode(SMALL, bytes("GET " + "x".repeat(17) + "\n")))
        .containsExactly(new RespProtocolError("too big inline request (the limit is 20 bytes)"));
    assertThat(decode(SMALL, bytes("GET " + "x".repeat(17) + "\r\n")))
        .containsExactly(new RespProtocolError("too big inline request (the limit is 20 bytes)"));
  }

  @Test
  void anInlineLineAtTheLimitIsAccepted() {
    assertThat(decode(SMALL, bytes("GET " + "x".repeat(16) + "\r\n")))
        .containsExactly(RespRequest.of("GET", "x".repeat(16)));
  }

  @Test
  void aHeaderLineThatNeverEndsIsRefused() {
    assertThat(decode("*" + "1".repeat(40)))
        .containsExactly(new RespProtocolError("invalid multibulk length"));
  }

  private static List<Object> decode(String input) {
    return decode(RespLimits.DEFAULTS, bytes(input));
  }

  private static List<Object> decode(RespLimits limits, byte[] input) {
    EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder(limits));
    channel.writeInbound(Unpooled.wrappedBuffer(input));
    return drain(channel);
  }

  private static List<Object> drain(EmbeddedChannel channel) {
    List<Object> out = new ArrayList<>();
    for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
      out.add(message);
    }
    return out;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
    }
    return out;
  }
}
