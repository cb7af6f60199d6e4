package io.tinykv.raft.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec;
import io.tinykv.raft.protocol.handshake.HandshakeMessage;
import io.tinykv.raft.protocol.handshake.RefusalReason;
import io.tinykv.raft.protocol.handshake.Token;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.TimeoutNow;
import io.tinykv.raft.protocol.testing.LogCapture;
import io.tinykv.raft.protocol.testing.SampleMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frame encoder and decoder on Netty's {@link EmbeddedChannel}. */
class PeerFrameCodecTest {

  private static final int MAX = 4 << 20;
  private static final long SEED = 424_242L;

  private final MessageCodec codec = new KryoMessageCodec();

  @Test
  void everyMessageCrossesTheFrameCodec() {
    for (PeerMessage message : SampleMessages.all()) {
      EmbeddedChannel in = dialled();
      in.writeInbound(Unpooled.wrappedBuffer(encode(message)));
      assertThat(inbound(in)).isEqualTo(message);
      assertThat(in.isOpen()).isTrue();
      in.finishAndReleaseAll();
    }
  }

  @Test
  void handshakeMessagesCrossTheFrameCodecAndTheHelloCarriesTheMagic() {
    Token token = Token.copyOf(SampleMessages.bytes(32, 1));
    HandshakeMessage hello =
        new HandshakeMessage.Hello(SampleMessages.EMOJI_ID, ClusterId.of("c"), token);
    byte[] helloBytes = encode(hello);
    assertThat(new String(helloBytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("TKVR");
    EmbeddedChannel server = accepted();
    server.writeInbound(Unpooled.wrappedBuffer(helloBytes));
    assertThat(inbound(server)).isEqualTo(hello);

    List<HandshakeMessage> replies =
        List.of(
            new HandshakeMessage.Challenge(NodeId.of("n2"), token),
            new HandshakeMessage.Proof(token),
            new HandshakeMessage.Accepted(token),
            new HandshakeMessage.Refused(RefusalReason.FOREIGN_CLUSTER));
    EmbeddedChannel client = dialled();
    for (HandshakeMessage reply : replies) {
      client.writeInbound(Unpooled.wrappedBuffer(encode(reply)));
      assertThat(inbound(client)).isEqualTo(reply);
    }
  }

  @Test
  void framesSplitAcrossReadsAndSharingReadsAreReassembled() {
    List<PeerMessage> messages = SampleMessages.typical();
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    messages.forEach(m -> stream.writeBytes(encode(m)));
    byte[] bytes = stream.toByteArray();

    EmbeddedChannel byteByByte = dialled();
    for (byte b : bytes) {
      byteByByte.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    EmbeddedChannel allAtOnce = dialled();
    allAtOnce.writeInbound(Unpooled.wrappedBuffer(bytes));

    for (PeerMessage message : messages) {
      assertThat(inbound(byteByByte)).isEqualTo(message);
      assertThat(inbound(allAtOnce)).isEqualTo(message);
    }
  }

  @Test
  void anOversizedLengthClosesTheConnectionBeforeTheBodyArrives() {
    try (LogCapture log = LogCapture.of(PeerFrameDecoder.class)) {
      EmbeddedChannel channel = dialled();
      channel.writeInbound(Unpooled.wrappedBuffer(hex("00400001")));
      assertClosedWithNothingPassed(channel);
      assertThat(log.text()).contains("frame of 4194305 bytes exceeds the maximum of 4194304");
    }
  }

  @Test
  void aLengthShorterThanTheHeaderClosesTheConnection() {
    EmbeddedChannel channel = dialled();
    channel.writeInbound(Unpooled.wrappedBuffer(hex("00000001 01")));
    assertClosedWithNothingPassed(channel);
  }

  @Test
  void anUnknownVersionClosesTheConnection() {
    try (LogCapture log = LogCapture.of(PeerFrameDecoder.class)) {
      byte[] frame = encode(new TimeoutNow(SampleMessages.A, SampleMessages.B, 1));
      frame[4] = 2;
      EmbeddedChannel channel = dialled();
      channel.writeInbound(Unpooled.wrappedBuffer(frame));
      assertClosedWithNothingPassed(channel);
      assertThat(log.text()).contains("unsupported protocol version 2 (this node speaks 1)");
    }
  }

  @Test
  void anUnknownFrameTypeClosesTheConnection() {
    try (LogCapture log = LogCapture.of(PeerFrameDecoder.class)) {
      EmbeddedChannel channel = dialled();
      channel.writeInbound(Unpooled.wrappedBuffer(hex("00000002 01 63")));
      assertClosedWithNothingPassed(channel);
      assertThat(log.text()).contains("unknown frame type 99");
    }
  }

  @Test
  void anUndecodableBodyClosesTheConnectionAndStopsAllLaterFrames() {
    try (LogCapture log = LogCapture.of(PeerFrameDecoder.class)) {
      PeerMessage good = new TimeoutNow(SampleMessages.A, SampleMessages.B, 1);
      ByteArrayOutputStream stream = new ByteArrayOutputStream();
      stream.writeBytes(encode(good));
      stream.writeBytes(hex("00000005 01 10 28 0241")); // a TimeoutNow cut short
      stream.writeBytes(encode(good));
      EmbeddedChannel channel = dialled();
      channel.writeInbound(Unpooled.wrappedBuffer(stream.toByteArray()));
      assertThat(inbound(channel)).isEqualTo(good);
      assertClosedWithNothingPassed(channel);
      assertThat(log.text()).contains("undecodable message");
    }
  }

  @Test
  void aMalformedHandshakeFrameClosesTheConnection() {
    EmbeddedChannel channel = dialled();
    channel.writeInbound(Unpooled.wrappedBuffer(hex("00000005 01 03 0102 03"))); // short PROOF
    assertClosedWithNothingPassed(channel);
    EmbeddedChannel refused = dialled();
    refused.writeInbound(Unpooled.wrappedBuffer(hex("00000003 01 05 7f"))); // unknown reason
    assertClosedWithNothingPassed(refused);
  }

  @Test
  void aTruncatedFrameAtEndOfStreamIsDropped() {
    byte[] frame = encode(SampleMessages.typical().get(2));
    EmbeddedChannel channel = dialled();
    channel.writeInbound(Unpooled.wrappedBuffer(frame, 0, frame.length - 1));
    assertThat(inbound(channel)).isNull();
    assertThat(channel.finishAndReleaseAll()).isFalse(); // closes; checks no exception escaped
  }

  @Test
  void anAcceptedConnectionWithoutTheMagicIsClosed() {
    try (LogCapture log = LogCapture.of(PeerFrameDecoder.class)) {
      EmbeddedChannel resp = accepted();
      resp.writeInbound(Unpooled.copiedBuffer("*1\r\n$4\r\nPING\r\n", StandardCharsets.US_ASCII));
      assertClosedWithNothingPassed(resp);
      assertThat(log.text()).contains("does not open with the peer magic");

      EmbeddedChannel slow = accepted();
      slow.writeInbound(Unpooled.copiedBuffer("TKV", StandardCharsets.US_ASCII));
      assertThat(slow.isOpen()).isTrue();
      slow.writeInbound(Unpooled.copiedBuffer("X", StandardCharsets.US_ASCII));
      assertClosedWithNothingPassed(slow);
    }
  }

  @Test
  void randomBytesNeverReachTheNextHandler() {
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      byte[] bytes = new byte[1 + random.nextInt(256)];
      random.nextBytes(bytes);
      boolean acceptor = i % 2 == 0;
      if (!acceptor && i % 4 == 1) {
        // Make the header plausible (small length, version 1) to reach the type and body checks.
        bytes = withPlausibleHeader(bytes, random);
      }
      EmbeddedChannel channel = acceptor ? accepted() : dialled();
      channel.writeInbound(Unpooled.wrappedBuffer(bytes));
      String replay = "seed " + SEED + ", input " + i + ": " + HexFormat.of().formatHex(bytes);
      assertThat(inbound(channel)).as(replay).isNull();
      if (acceptor) {
        assertThat(channel.isOpen()).as(replay).isFalse();
      }
      channel.finishAndReleaseAll();
    }
  }

  @Test
  void aMessageOverTheMaximumIsNotSentAndTheConnectionStaysOpen() {
    int max = PeerProtocol.MIN_MAX_FRAME_BYTES;
    EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameEncoder(codec, max));
    PeerMessage big =
        new AppendEntries(
            SampleMessages.A,
            SampleMessages.B,
            1,
            0,
            0,
            List.of(LogEntry.command(1, 1, 0, new byte[max])),
            0);
    ChannelFuture write = channel.writeOneOutbound(big);
    channel.flushOutbound();
    assertThat(write.cause()).isInstanceOf(EncoderException.class).hasMessageContaining("maximum");
    assertThat(channel.isOpen()).isTrue();
    assertThat(outbound(channel)).isNull();
  }

  @Test
  void otherOutboundObjectsPassThroughTheEncoder() {
    EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameEncoder(codec, MAX));
    ByteBuf raw = Unpooled.copiedBuffer("+OK\r\n", StandardCharsets.US_ASCII);
    channel.writeOutbound(raw);
    assertThat(outbound(channel)).isSameAs(raw);
    raw.release();
  }

  @Test
  void theMaximumFrameSizeHasAFloor() {
    assertThatThrownBy(() -> new PeerFrameEncoder(codec, 1024))
        .hasMessageContaining("at least 4096");
    assertThatThrownBy(() -> PeerFrameDecoder.forDialledConnection(codec, 0))
        .hasMessageContaining("at least 4096");
  }

  /**
   * A MESSAGE frame header (version 1, a length within the bytes or just past them) before at least
   * 16 random body bytes. Handshake types are left out on purpose: any 32 random bytes are a valid
   * PROOF or ACCEPTED, so random bodies of those types may rightly decode.
   */
  private byte[] withPlausibleHeader(byte[] bytes, Random random) {
    byte[] body = bytes.length >= 16 ? bytes : Arrays.copyOf(bytes, 16);
    byte[] framed = new byte[6 + body.length];
    int length = 2 + 16 + random.nextInt(body.length - 15);
    framed[0] = (byte) (length >>> 24);
    framed[1] = (byte) (length >>> 16);
    framed[2] = (byte) (length >>> 8);
    framed[3] = (byte) length;
    framed[4] = PeerProtocol.VERSION;
    framed[5] = 16;
    System.arraycopy(body, 0, framed, 6, body.length);
    return framed;
  }

  private static void assertClosedWithNothingPassed(EmbeddedChannel channel) {
    assertThat(channel.isOpen()).isFalse();
    assertThat(inbound(channel)).isNull();
    channel.checkException();
  }

  private static Object inbound(EmbeddedChannel channel) {
    return channel.readInbound();
  }

  private static Object outbound(EmbeddedChannel channel) {
    return channel.readOutbound();
  }

  private EmbeddedChannel dialled() {
    return new EmbeddedChannel(PeerFrameDecoder.forDialledConnection(codec, MAX));
  }

  private EmbeddedChannel accepted() {
    return new EmbeddedChannel(PeerFrameDecoder.forAcceptedConnection(codec, MAX));
  }

  /** The frame bytes the encoder writes for {@code message}. */
  private byte[] encode(Object message) {
    EmbeddedChannel channel = new EmbeddedChannel(new PeerFrameEncoder(codec, MAX));
    channel.writeOutbound(message);
    List<ByteBuf> buffers = new ArrayList<>();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      buffers.add((ByteBuf) out);
    }
    ByteBuf all = Unpooled.wrappedBuffer(buffers.toArray(ByteBuf[]::new));
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    all.release();
    return bytes;
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
  }
}
