package io.tinykv.raft.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec;
import io.tinykv.raft.protocol.handshake.ClusterSecret;
import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import io.tinykv.raft.protocol.handshake.HandshakeMessage;
import io.tinykv.raft.protocol.handshake.NonceSource;
import io.tinykv.raft.protocol.handshake.Token;
import io.tinykv.raft.protocol.message.QueryLeader;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.testing.LogCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two peers' full pipelines on {@link EmbeddedChannel}s, with the bytes each writes handed to the
 * other until both are quiet.
 */
class HandshakeHandlerTest {

  private static final NodeId CLIENT = NodeId.of("n1");
  private static final NodeId SERVER = NodeId.of("n2");
  private static final ClusterId CLUSTER = ClusterId.of("prod");
  private static final String SECRET = "correct horse battery staple";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX = PeerProtocol.DEFAULT_MAX_FRAME_BYTES;

  private final MessageCodec codec = new KryoMessageCodec();
  private final Recorder serverSeen = new Recorder();
  private final Recorder clientSeen = new Recorder();
  private final ByteArrayOutputStream wire = new ByteArrayOutputStream();

  @Test
  void peersWithTheSameSecretLinkUpAndExchangeMessages() {
    EmbeddedChannel server = server(SECRET, CLUSTER);
    EmbeddedChannel client = client(SECRET, CLUSTER);
    shuttle(client, server);

    assertThat(serverSeen.events).containsExactly(new PeerAuthenticated(CLIENT));
    assertThat(clientSeen.events).containsExactly(new PeerAuthenticated(SERVER));
    assertThat(server.pipeline().get(HandshakeHandler.class).peer()).contains(CLIENT);

    RequestVote vote = new RequestVote(CLIENT, SERVER, 2, 0, 0, false, false);
    send(client, vote);
    shuttle(client, server);
    RequestVoteResponse granted = new RequestVoteResponse(SERVER, CLIENT, 2, false, true);
    send(server, granted);
    send(server, new QueryLeader(9));
    shuttle(client, server);

    assertThat(serverSeen.messages).containsExactly(vote);
    assertThat(clientSeen.messages).containsExactly(granted, new QueryLeader(9));
    assertThat(client.isOpen()).isTrue();
    assertThat(server.isOpen()).isTrue();
  }

  @Test
  void aWrongSecretIsRefusedLoggedAndClosedOnBothSides() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      EmbeddedChannel client = client("guess", CLUSTER);
      shuttle(client, server);

      assertBothClosedUnauthenticated(client, server);
      assertThat(log.text())
          .contains("the peer did not prove knowledge of the cluster secret (wrong proof from n1)")
          .contains("refused by the server");
    }
  }

  @Test
  void aForeignClusterIsRefusedLoggedAndClosedOnBothSides() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      EmbeddedChannel client = client(SECRET, ClusterId.of("staging"));
      shuttle(client, server);

      assertBothClosedUnauthenticated(client, server);
      assertThat(log.text()).contains("n1 is in cluster staging, this node in prod");
    }
  }

  @Test
  void theSecretNeverCrossesTheWire() {
    shuttle(client(SECRET, CLUSTER), server(SECRET, CLUSTER));
    shuttle(client("guess", CLUSTER), server(SECRET, CLUSTER));

    String bytes = wire.toString(StandardCharsets.ISO_8859_1);
    assertThat(bytes).contains("TKVR").contains("prod").doesNotContain("correct horse");
    assertThat(bytes).doesNotContain("guess");
  }

  @Test
  void aRaftMessageBeforeTheHandshakeNeverReachesTheNextHandler() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      ByteBuf bytes = Unpooled.buffer();
      PeerProtocol.writeMagic(bytes);
      bytes.writeBytes(frame(new RequestVote(CLIENT, SERVER, 9, 0, 0, false, false)));
      server.writeInbound(bytes);

      assertCutOff(server, log, "sent RequestVote before the handshake completed");
    }
  }

  @Test
  void aGarbledProofIsRefused() {
    EmbeddedChannel server = server(SECRET, CLUSTER);
    EmbeddedChannel client = client(SECRET, CLUSTER);
    server.writeInbound(drain(client)); // Hello
    client.writeInbound(drain(server)); // Challenge
    ByteBuf proof = drain(client);
    proof.setByte(proof.writerIndex() - 1, proof.getByte(proof.writerIndex() - 1) ^ 1);
    server.writeInbound(proof);
    client.writeInbound(drain(server)); // Refused

    assertBothClosedUnauthenticated(client, server);
  }

  @Test
  void writesBeforeTheHandshakeFail() {
    EmbeddedChannel client = client(SECRET, CLUSTER);
    ChannelFuture write = client.writeAndFlush(new QueryLeader(1));

    assertThat(write.cause()).isInstanceOf(IllegalStateException.class);
    assertThat(write.cause()).hasMessageContaining("not authenticated yet");
  }

  @Test
  void aMessageWithAForgedSenderClosesTheLink() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      EmbeddedChannel client = client(SECRET, CLUSTER);
      shuttle(client, server);

      send(client, new RequestVote(NodeId.of("n3"), SERVER, 2, 0, 0, false, false));
      shuttle(client, server);

      assertCutOff(server, log, "sent a message from n3 to n2 on the link of n1");
    }
  }

  @Test
  void aHandshakeMessageAfterAuthenticationClosesTheLink() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      EmbeddedChannel client = client(SECRET, CLUSTER);
      shuttle(client, server);

      server.writeInbound(Unpooled.wrappedBuffer(frame(new HandshakeMessage.Proof(token()))));

      assertCutOff(server, log, "sent Proof after the handshake");
    }
  }

  @Test
  void anErrorDuringTheHandshakeClosesTheConnection() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      server.pipeline().fireExceptionCaught(new IOException("connection reset"));

      assertCutOff(server, log, "error during the handshake: java.io.IOException");
    }
  }

  @Test
  void linkSettingsAreValidated() {
    HandshakeConfig handshake = new HandshakeConfig(CLIENT, CLUSTER, ClusterSecret.of(SECRET));
    assertThat(PeerLinkConfig.withDefaults(handshake).maxFrameBytes()).isEqualTo(16 << 20);
    assertThatThrownBy(() -> new PeerLinkConfig(handshake, MAX, Duration.ZERO))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> new PeerLinkConfig(handshake, 100, TIMEOUT))
        .hasMessageContaining("at least 4096");
  }

  @Test
  void aHandshakeThatDoesNotFinishInTimeIsClosed() {
    try (LogCapture log = LogCapture.of(HandshakeHandler.class)) {
      EmbeddedChannel server = server(SECRET, CLUSTER);
      server.freezeTime();
      server.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
      server.runScheduledPendingTasks();
      assertThat(server.isOpen()).isTrue();

      server.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
      server.runScheduledPendingTasks();

      assertThat(server.isOpen()).isFalse();
      assertThat(log.text()).contains("handshake not completed within PT5S");
    }
  }

  @Test
  void anAuthenticatedLinkOutlivesTheHandshakeTimeout() {
    EmbeddedChannel server = server(SECRET, CLUSTER);
    EmbeddedChannel client = client(SECRET, CLUSTER);
    shuttle(client, server);

    server.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    server.runScheduledPendingTasks();
    client.advanceTimeBy(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
    client.runScheduledPendingTasks();

    assertThat(server.isOpen()).isTrue();
    assertThat(client.isOpen()).isTrue();
  }

  private static void send(EmbeddedChannel channel, Object message) {
    assertThat(channel.writeAndFlush(message).isSuccess()).isTrue();
  }

  /** The server closed the link, logged why, and passed nothing on. */
  private void assertCutOff(EmbeddedChannel server, LogCapture log, String reason) {
    assertThat(server.isOpen()).isFalse();
    assertThat(serverSeen.messages).isEmpty();
    assertThat(log.text()).contains(reason);
  }

  private void assertBothClosedUnauthenticated(EmbeddedChannel client, EmbeddedChannel server) {
    assertThat(server.isOpen()).isFalse();
    assertThat(client.isOpen()).isFalse();
    assertThat(serverSeen.events).isEmpty();
    assertThat(clientSeen.events).isEmpty();
  }

  /** Hands each side's output to the other until neither writes any more. */
  private void shuttle(EmbeddedChannel client, EmbeddedChannel server) {
    boolean moved = true;
    while (moved) {
      boolean fromClient = deliver(client, server);
      boolean fromServer = deliver(server, client);
      moved = fromClient || fromServer;
    }
  }

  private boolean deliver(EmbeddedChannel from, EmbeddedChannel to) {
    ByteBuf bytes = drain(from);
    if (!bytes.isReadable()) {
      bytes.release();
      return false;
    }
    wire.writeBytes(ByteBufUtil.getBytes(bytes));
    if (to.isOpen()) {
      to.writeInbound(bytes);
    } else {
      bytes.release();
    }
    return true;
  }

  private static ByteBuf drain(EmbeddedChannel channel) {
    List<ByteBuf> parts = new ArrayList<>();
    for (Object out; (out = channel.readOutbound()) != null; ) {
      parts.add((ByteBuf) out);
    }
    return Unpooled.wrappedBuffer(parts.toArray(ByteBuf[]::new));
  }

  private byte[] frame(Object message) {
    EmbeddedChannel encoder = new EmbeddedChannel(new PeerFrameEncoder(codec, MAX));
    encoder.writeOutbound(message);
    return ByteBufUtil.getBytes(drain(encoder));
  }

  private EmbeddedChannel server(String secret, ClusterId cluster) {
    EmbeddedChannel channel = new EmbeddedChannel();
    PeerPipeline.addForAcceptedConnection(
        channel.pipeline(), codec, config(SERVER, secret, cluster), nonces(2));
    channel.pipeline().addLast(serverSeen);
    return channel;
  }

  private EmbeddedChannel client(String secret, ClusterId cluster) {
    EmbeddedChannel channel = new EmbeddedChannel();
    PeerPipeline.addForDialledConnection(
        channel.pipeline(), codec, config(CLIENT, secret, cluster), nonces(1));
    channel.pipeline().addLast(clientSeen);
    return channel;
  }

  private static PeerLinkConfig config(NodeId node, String secret, ClusterId cluster) {
    return new PeerLinkConfig(
        new HandshakeConfig(node, cluster, ClusterSecret.of(secret)), MAX, TIMEOUT);
  }

  private static NonceSource nonces(long seed) {
    Random random = new Random(seed);
    return random::nextBytes;
  }

  private static Token token() {
    return Token.copyOf(new byte[Token.LENGTH]);
  }

  /** The last handler: what reached "the core". */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    final List<Object> events = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }

    @Override
    public boolean isSharable() {
      return true;
    }
  }
}
