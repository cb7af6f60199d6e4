package io.tinykv.raft.node.transport.netty;

import static io.tinykv.raft.node.transport.netty.NettyCluster.HOST;
import static io.tinykv.raft.node.transport.netty.NettyCluster.OPTIONS;
import static io.tinykv.raft.node.transport.netty.NettyCluster.SECRET;
import static io.tinykv.raft.node.transport.netty.NettyCluster.WAIT;
import static io.tinykv.raft.node.transport.netty.NettyCluster.linkConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One or two transports on 127.0.0.1, without Raft nodes: the wire, the counters, the port. */
class NettyTransportTest {

  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");

  private final List<NettyTransport> transports = new ArrayList<>();
  private final Map<NodeId, NodeAddress> addresses = new ConcurrentHashMap<>();

  @AfterEach
  void closeAll() {
    transports.forEach(NettyTransport::close);
  }

  private NettyTransportBuilder builder(NodeId id) {
    return NettyTransport.builder(linkConfig(id, SECRET))
        .listen(HOST, 0)
        .peerResolver(peer -> Optional.ofNullable(addresses.get(peer)))
        .options(OPTIONS)
        .random(new Random(7));
  }

  /** Builds, binds and starts a transport, registering its address as {@code id}'s. */
  private NettyTransport started(NettyTransportBuilder builder, NodeId id, List<RaftMessage> sink) {
    NettyTransport transport = builder.build();
    transports.add(transport);
    InetSocketAddress bound = transport.bind();
    addresses.put(id, NodeAddress.of(HOST, bound.getPort()));
    transport.start(sink::add);
    return transport;
  }

  private static Heartbeat heartbeat(NodeId from, NodeId to, long commit) {
    return new Heartbeat(from, to, 1, commit, 0);
  }

  @Test
  void deliversMessagesBothWaysAndCountsThem() {
    List<RaftMessage> atA = new CopyOnWriteArrayList<>();
    List<RaftMessage> atB = new CopyOnWriteArrayList<>();
    NettyTransport a = started(builder(A), A, atA);
    NettyTransport b = started(builder(B), B, atB);

    // The first sends are dropped while the link comes up; Raft resends in the same way.
    awaitDelivery(a, heartbeat(A, B, 1), atB);
    awaitDelivery(b, heartbeat(B, A, 2), atA);

    assertThat(atB).allMatch(m -> m.equals(heartbeat(A, B, 1)));
    assertThat(atA).allMatch(m -> m.equals(heartbeat(B, A, 2)));
    // A resent heartbeat may still be on its way: the counters and the sinks agree once it lands.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              PeerLinkStats aToB = a.peerStats(B).orElseThrow();
              assertThat(aToB.connected()).isTrue();
              assertThat(aToB.messagesSent()).isPositive();
              assertThat(aToB.messagesReceived()).isEqualTo(atA.size());
              assertThat(aToB.lastContact()).isPresent();
              assertThat(b.peerStats(A).orElseThrow().messagesReceived()).isEqualTo(atB.size());
            });
    assertThat(a.peerStats()).containsOnlyKeys(B);
  }

  @Test
  void redialsAPeerThatRestartsOnTheSamePort() {
    List<RaftMessage> atB = new CopyOnWriteArrayList<>();
    NettyTransport a = started(builder(A), A, new CopyOnWriteArrayList<>());
    NettyTransport b = started(builder(B), B, atB);
    awaitDelivery(a, heartbeat(A, B, 1), atB);

    b.close();
    await().atMost(WAIT).until(() -> !a.peerStats(B).orElseThrow().connected());
    NettyTransport restarted = started(builder(B).listen(HOST, addresses.get(B).port()), B, atB);
    atB.clear();
    awaitDelivery(a, heartbeat(A, B, 2), atB);

    assertThat(atB).allMatch(m -> m.equals(heartbeat(A, B, 2)));
    assertThat(a.peerStats(B).orElseThrow().reconnects()).isEqualTo(1);
    assertThat(restarted.peerStats(A).orElseThrow().messagesReceived()).isEqualTo(atB.size());
  }

  /** Sends {@code message} every few milliseconds until it has arrived. */
  private static void awaitDelivery(
      NettyTransport from, RaftMessage message, List<RaftMessage> at) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              from.send(message);
              return !at.isEmpty();
            });
  }

  @Test
  void sendingToAnUnreachablePeerNeitherBlocksNorQueues() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, loopback())) {
      closedPort = probe.getLocalPort(); // free again once closed: connecting is refused
    }
    NettyTransport a = builder(A).peers(Map.of(B, NodeAddress.of(HOST, closedPort))).build();
    transports.add(a);
    a.start(m -> {});

    int count = 10_000;
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 0; i < count; i++) {
            a.send(heartbeat(A, B, i));
          }
        });

    PeerLinkStats stats = a.peerStats(B).orElseThrow();
    assertThat(stats.connected()).isFalse();
    assertThat(stats.messagesSent()).isZero();
    assertThat(stats.messagesDropped()).isEqualTo(count);
    await().atMost(WAIT).until(() -> a.peerStats(B).orElseThrow().connectFailures() >= 2);
    assertThat(a.peerStats(B).orElseThrow().losses()).isGreaterThan(count);
  }

  @Test
  void refusesALinkToANodeOtherThanTheOneAtTheAddress() {
    NettyTransport c = started(builder(C), C, new CopyOnWriteArrayList<>());
    NodeAddress whereCReallyIs = addresses.get(C);
    NettyTransport a = builder(A).peers(Map.of(B, whereCReallyIs)).build(); // a wrong address list
    transports.add(a);
    a.start(m -> {});

    await().atMost(WAIT).until(() -> a.peerStats(B).orElseThrow().connectFailures() >= 2);
    a.send(heartbeat(A, B, 1));
    assertThat(a.peerStats(B).orElseThrow().connected()).isFalse();
    assertThat(c.peerStats(A).map(PeerLinkStats::messagesReceived).orElse(0L)).isZero();
  }

  @Test
  void clientBytesOnThePeerPortReachTheClientInitializerIntact() throws Exception {
    AtomicInteger clientConnections = new AtomicInteger();
    NettyTransport a =
        started(
            builder(A)
                .clientInitializer(
                    pipeline -> {
                      clientConnections.incrementAndGet();
                      pipeline.addLast(new Echo());
                    }),
            A,
            new CopyOnWriteArrayList<>());
    int port = a.localAddress().orElseThrow().getPort();

    // "T" is also the first byte of the peer magic: the port must wait for more before deciding.
    String request = "TYPE key\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
    try (Socket socket = new Socket(loopback(), port)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(bytes, 0, 1);
      out.flush();
      out.write(bytes, 1, bytes.length - 1);
      out.flush();
      assertThat(readExactly(socket.getInputStream(), bytes.length)).isEqualTo(request);
    }
    assertThat(clientConnections).hasValue(1);
  }

  @Test
  void aClosedTransportRefusesToBindAgainAndCloseIsIdempotent() {
    NettyTransport a = started(builder(A), A, new CopyOnWriteArrayList<>());
    a.close();
    a.close();
    a.send(heartbeat(A, B, 1)); // dropped, no exception
    assertThatThrownBy(a::bind).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFullAddressListDoesNotMakeANodeDialItself() {
    NodeAddress nowhere = NodeAddress.of(HOST, 1);
    NettyTransport withSelf = builder(A).peers(Map.of(A, nowhere, B, nowhere)).build();
    transports.add(withSelf);

    withSelf.start(m -> {});
    withSelf.connect(A);

    assertThat(withSelf.peerStats()).containsOnlyKeys(B);
  }

  @Test
  void rejectsMessagesNotFromThisNode() {
    NettyTransport a = builder(A).build();
    transports.add(a);
    assertThatThrownBy(() -> a.send(heartbeat(B, C, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.send(heartbeat(A, A, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static InetAddress loopback() throws IOException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1}); // HOST, without a lookup
  }

  private static String readExactly(InputStream in, int length) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[256];
    while (received.size() < length) {
      int n = in.read(buffer, 0, Math.min(buffer.length, length - received.size()));
      if (n < 0) {
        break;
      }
      received.write(buffer, 0, n);
    }
    return received.toString(StandardCharsets.US_ASCII);
  }

  /** Writes every byte back: what a client handler receives is what the client sent. */
  private static final class Echo extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
      ctx.writeAndFlush(msg.retain()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }
}
