package io.tinykv.raft.node.kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.LocalCommands;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The forwarder against small RESP servers on 127.0.0.1 whose behaviour the test chooses. */
class LeaderForwarderTest {

  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final Map<NodeId, NodeAddress> addresses = new ConcurrentHashMap<>();
  private final List<Channel> servers = new ArrayList<>();
  private LeaderForwarder forwarder;

  @AfterEach
  void stop() {
    if (forwarder != null) {
      forwarder.close();
    }
    servers.forEach(s -> s.close().syncUninterruptibly());
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Replies to every request with its words joined by spaces; records what each session sent. */
  private static final class Echo implements RequestExecutor {
    final List<String> received = new CopyOnWriteArrayList<>();
    private final LocalCommands local = new LocalCommands(Optional.of("pw"), () -> null);

    @Override
    public ClientSession openSession() {
      return local.newSession(1);
    }

    @Override
    public void closeSession(ClientSession session) {}

    @Override
    public Access access(RespRequest request) {
      return Access.NONE;
    }

    @Override
    public CompletableFuture<Response> serve(RespRequest request, ClientSession session) {
      String text = ServerTesting.text(request);
      received.add(text);
      Reply reply =
          text.equals("AUTH pw") || text.startsWith("CLIENT SETNAME") ? Reply.OK : Reply.bulk(text);
      return CompletableFuture.completedFuture(Response.of(reply));
    }
  }

  private void start(NodeId id, Consumer<Channel> setUp) throws Exception {
    Channel server = ServerTesting.listen(group, setUp);
    servers.add(server);
    addresses.put(id, ServerTesting.addressOf(server));
  }

  private void startEcho(NodeId id, Echo echo) throws Exception {
    start(id, ch -> ClientPipeline.install(ch.pipeline(), echo));
  }

  private LeaderForwarder forwarder(Optional<String> password) {
    forwarder =
        new LeaderForwarder(group, id -> Optional.ofNullable(addresses.get(id)), password, 2_000);
    return forwarder;
  }

  private static Reply reply(CompletableFuture<Reply> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  @Test
  void pipelinedRequestsGetTheirOwnRepliesAfterTheHandshake() throws Exception {
    Echo echo = new Echo();
    startEcho(B, echo);
    LeaderForwarder f = forwarder(Optional.of("pw"));
    List<CompletableFuture<Reply>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(f.forward(B, RespRequest.of("SET", "k" + i, "v" + i)));
    }
    for (int i = 0; i < 100; i++) {
      assertThat(reply(replies.get(i))).isEqualTo(Reply.bulk("SET k" + i + " v" + i));
    }
    assertThat(echo.received.subList(0, 3))
        .containsExactly("AUTH pw", "CLIENT SETNAME " + LeaderForwarder.SESSION_NAME, "SET k0 v0");
    assertThat(echo.received).hasSize(102);
  }

  @Test
  void aNewLeaderGetsANewConnection() throws Exception {
    Echo b = new Echo();
    Echo c = new Echo();
    startEcho(B, b);
    startEcho(C, c);
    LeaderForwarder f = forwarder(Optional.empty());
    assertThat(reply(f.forward(B, RespRequest.of("INCR", "x")))).isEqualTo(Reply.bulk("INCR x"));
    assertThat(reply(f.forward(C, RespRequest.of("INCR", "y")))).isEqualTo(Reply.bulk("INCR y"));
    assertThat(b.received).containsExactly("CLIENT SETNAME tinykv-forwarder", "INCR x");
    assertThat(c.received).containsExactly("CLIENT SETNAME tinykv-forwarder", "INCR y");
  }

  @Test
  void aLeaderWithoutAKnownAddressGetsNothingAndTheClientMayRetry() throws Exception {
    Reply r = reply(forwarder(Optional.empty()).forward(B, RespRequest.of("SET", "k", "v")));
    assertThat(((Reply.ErrorReply) r).message())
        .startsWith("NOLEADER could not forward the request to the leader b")
        .contains("its address is not known", "it was not sent, so it was not applied");
  }

  @Test
  void aRefusedConnectionMeansTheRequestWasNotSent() throws Exception {
    int freePort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      freePort = probe.getLocalPort();
    }
    addresses.put(B, NodeAddress.of("127.0.0.1", freePort));
    Reply r = reply(forwarder(Optional.empty()).forward(B, RespRequest.of("SET", "k", "v")));
    assertThat(((Reply.ErrorReply) r).message())
        .startsWith("NOLEADER could not forward the request to the leader b")
        .contains("cannot connect", "it was not sent, so it was not applied: retry");
  }

  @Test
  void aConnectionLostAfterSendingMeansTheOutcomeIsUnknown() throws Exception {
    start(
        B,
        ch ->
            ch.pipeline()
                .addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                      }
                    }));
    Reply r = reply(forwarder(Optional.empty()).forward(B, RespRequest.of("INCR", "k")));
    assertThat(((Reply.ErrorReply) r).message())
        .startsWith("ERR outcome unknown: the connection to the leader b at 127.0.0.1:")
        .contains("may or may not have been applied");
  }
}
