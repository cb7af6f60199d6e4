package io.tinykv.raft.node.kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.LocalCommands;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespLimits;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The connection handler on an {@link EmbeddedChannel}, served by an executor whose futures the
 * test completes by hand, in any order.
 */
class RespServerHandlerTest {

  /** Answers PING and QUIT at once; leaves every other request's future for the test. */
  private static final class HandCompleted implements RequestExecutor {
    final Map<String, CompletableFuture<Response>> pending = new LinkedHashMap<>();
    final List<String> served = new ArrayList<>();
    int open;

    @Override
    public ClientSession openSession() {
      open++;
      return new LocalCommands(Optional.empty(), () -> null).newSession(open);
    }

    @Override
    public void closeSession(ClientSession session) {
      open--;
    }

    @Override
    public Access access(RespRequest request) {
      return switch (request.commandName()) {
        case "GET" -> Access.READ;
        case "SET" -> Access.WRITE;
        default -> Access.NONE;
      };
    }

    @Override
    public CompletableFuture<Response> serve(RespRequest request, ClientSession session) {
      String text = ServerTesting.text(request);
      served.add(text);
      return switch (request.commandName()) {
        case "PING" -> CompletableFuture.completedFuture(Response.of(Reply.simple("PONG")));
        case "QUIT" -> CompletableFuture.completedFuture(new Response(Reply.OK, true));
        default -> pending.computeIfAbsent(text, t -> new CompletableFuture<>());
      };
    }

    void reply(String request, String bulk) {
      pending.get(request).complete(Response.of(Reply.bulk(bulk)));
    }
  }

  private final HandCompleted executor = new HandCompleted();

  private EmbeddedChannel channel(int maxInFlight) {
    EmbeddedChannel channel = new EmbeddedChannel();
    ClientPipeline.install(channel.pipeline(), executor, RespLimits.DEFAULTS, maxInFlight);
    channel.pipeline().fireChannelActive();
    return channel;
  }

  private static void send(EmbeddedChannel channel, String input) {
    channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.US_ASCII));
  }

  private static String output(EmbeddedChannel channel) {
    channel.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(StandardCharsets.US_ASCII));
      buf.release();
    }
    return out.toString();
  }

  @Test
  void repliesAreWrittenInRequestOrderWhateverOrderTheyCompleteIn() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\nGET b\r\nPING\r\nGET c\r\n");
    assertThat(executor.served).containsExactly("GET a", "GET b", "PING", "GET c");

    executor.reply("GET c", "c");
    executor.reply("GET b", "b");
    assertThat(output(channel)).isEmpty();

    executor.reply("GET a", "a");
    assertThat(output(channel)).isEqualTo("$1\r\na\r\n$1\r\nb\r\n+PONG\r\n$1\r\nc\r\n");
  }

  @Test
  void aClientThatHalfClosesStillGetsItsRepliesThenTheConnectionCloses() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\nPING\r\n");
    channel.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    assertThat(channel.isOpen()).as("replies are still due").isTrue();
    executor.reply("GET a", "a");
    assertThat(output(channel)).isEqualTo("$1\r\na\r\n+PONG\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void aReadWaitsForTheWritesBeforeItAndAWriteForTheReads() {
    EmbeddedChannel channel = channel(100);
    send(channel, "SET k 1\r\nSET j 2\r\nGET k\r\nPING\r\nGET j\r\nSET k 3\r\n");
    assertThat(executor.served).containsExactly("SET k 1", "SET j 2");

    executor.reply("SET k 1", "ok1");
    assertThat(executor.served).containsExactly("SET k 1", "SET j 2");
    executor.reply("SET j 2", "ok2");
    assertThat(executor.served).containsExactly("SET k 1", "SET j 2", "GET k", "PING", "GET j");

    executor.reply("GET j", "2");
    executor.reply("GET k", "1");
    assertThat(executor.served).endsWith("SET k 3");
    executor.reply("SET k 3", "ok3");
    assertThat(output(channel))
        .isEqualTo("$3\r\nok1\r\n$3\r\nok2\r\n$1\r\n1\r\n+PONG\r\n$1\r\n2\r\n$3\r\nok3\r\n");
  }

  @Test
  void aReplyCompletedOnAnotherThreadIsWritten() throws Exception {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\n");
    Thread applier = new Thread(() -> executor.reply("GET a", "a"), "fake-applier");
    applier.start();
    applier.join(10_000);
    assertThat(output(channel)).isEqualTo("$1\r\na\r\n");
  }

  @Test
  void aProtocolErrorIsAnsweredAfterEarlierRepliesAndClosesTheConnection() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\n*1\r\n$x\r\nGET b\r\n");
    assertThat(output(channel)).isEmpty();
    assertThat(channel.isOpen()).isTrue();

    executor.reply("GET a", "a");
    assertThat(output(channel))
        .isEqualTo("$1\r\na\r\n-ERR Protocol error: invalid bulk length\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(executor.served).containsExactly("GET a");
    assertThat(executor.open).isZero();
  }

  @Test
  void quitClosesAfterItsReplyAndLaterRequestsAreIgnored() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\nQUIT\r\nSET k v\r\n");
    assertThat(executor.served).containsExactly("GET a", "QUIT");
    executor.reply("GET a", "a");
    assertThat(output(channel)).isEqualTo("$1\r\na\r\n+OK\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void stopsReadingAboveTheInFlightLimitAndResumesWhenHalfAreAnswered() {
    EmbeddedChannel channel = channel(4);
    send(channel, "GET 1\r\nGET 2\r\nGET 3\r\n");
    assertThat(channel.config().isAutoRead()).isTrue();
    send(channel, "GET 4\r\n");
    assertThat(channel.config().isAutoRead()).isFalse();

    executor.reply("GET 1", "1");
    output(channel);
    assertThat(channel.config().isAutoRead()).isFalse();
    executor.reply("GET 2", "2");
    output(channel);
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void aFailedFutureBecomesAnErrorReplyInItsPlace() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\nPING\r\n");
    executor.pending.get("GET a").completeExceptionally(new IllegalStateException("bug"));
    assertThat(output(channel))
        .isEqualTo(
            "-ERR internal error: java.lang.IllegalStateException: bug;"
                + " the outcome of a write is unknown\r\n+PONG\r\n");
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void aLateReplyToAClosedConnectionIsDropped() {
    EmbeddedChannel channel = channel(100);
    send(channel, "GET a\r\n");
    channel.close().syncUninterruptibly();
    executor.reply("GET a", "a");
    assertThat(output(channel)).isEmpty();
    assertThat(executor.open).isZero();
  }
}
