package io.tinykv.raft.node.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespDecoder;
import io.tinykv.raft.node.kv.resp.RespEncoder;
import io.tinykv.raft.node.kv.resp.RespLimits;
import io.tinykv.raft.node.kv.resp.RespProtocolError;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The pieces wired the way the server wires them, with Raft replaced by applying at once: what a
 * client sees over a connection. The handler here is the smallest correct one, and a sketch for the
 * runtime's.
 */
class KvPipelineTest {

  private final KvStateMachine kv = new KvStateMachine();
  private final WriteParser parser = new WriteParser(new KvLimits(64, 16));
  private final LocalCommands local = new LocalCommands(Optional.empty(), () -> null);
  private long index;

  @Test
  void anInlineSetFromNetcatIsAnsweredOk() {
    assertThat(exchange("SET key value\n")).isEqualTo("+OK\r\n");
    assertThat(exchange("GET key\r\n")).isEqualTo("$5\r\nvalue\r\n");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenByteByByte() {
    String input =
        String.join(
            "",
            "*3\r\n$3\r\nSET\r\n$1\r\nn\r\n$2\r\n41\r\n",
            "INCR n\r\n",
            "GET n\r\n",
            "INCR missing-arg-count x\r\n",
            "PING\r\n",
            "FOO bar\r\n");
    EmbeddedChannel channel = channel();
    for (byte b : input.getBytes(StandardCharsets.US_ASCII)) {
      channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(output(channel))
        .isEqualTo(
            String.join(
                "",
                "+OK\r\n",
                ":42\r\n",
                "$2\r\n42\r\n",
                "-ERR wrong number of arguments for 'incr' command\r\n",
                "+PONG\r\n",
                "-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n"));
  }

  @Test
  void errorsDecidedBeforeAndAtApply() {
    assertThat(exchange("SET k 12345678901234567\r\nSET k v EX 10\r\nSET k v\r\nINCR k\r\n"))
        .isEqualTo(
            String.join(
                "",
                "-ERR value is too large (17 bytes; the limit is 16 bytes)\r\n",
                "-ERR SET expiry options (EX, PX, EXAT, PXAT) are not supported:"
                    + " keys do not expire\r\n",
                "+OK\r\n",
                "-ERR value is not an integer or out of range\r\n"));
  }

  @Test
  void aProtocolErrorIsAnsweredAfterEarlierRepliesAndClosesOnlyThatConnection() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(
        Unpooled.copiedBuffer("PING\r\n*1\r\n$x\r\nPING\r\n", StandardCharsets.US_ASCII));
    assertThat(output(channel)).isEqualTo("+PONG\r\n-ERR Protocol error: invalid bulk length\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(exchange("PING\r\n")).isEqualTo("+PONG\r\n");
  }

  @Test
  void quitClosesAfterItsReply() {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.copiedBuffer("QUIT\r\n", StandardCharsets.US_ASCII));
    assertThat(output(channel)).isEqualTo("+OK\r\n");
    assertThat(channel.isOpen()).isFalse();
  }

  private String exchange(String input) {
    EmbeddedChannel channel = channel();
    channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.US_ASCII));
    return output(channel);
  }

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new RespEncoder(), new RespDecoder(RespLimits.DEFAULTS), new Handler(local.newSession(1)));
  }

  private static String output(EmbeddedChannel channel) {
    StringBuilder out = new StringBuilder();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      out.append(buf.toString(StandardCharsets.US_ASCII));
      buf.release();
    }
    return out.toString();
  }

  /** Serves every request synchronously, so replies are in order by construction. */
  private final class Handler extends SimpleChannelInboundHandler<Object> {
    private final ClientSession session;

    Handler(ClientSession session) {
      this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object message) {
      Reply reply;
      boolean close = false;
      if (message instanceof RespProtocolError error) {
        reply = error.reply();
        close = true;
      } else {
        Validated<CommandCall> resolved = CommandTable.resolve((RespRequest) message);
        if (resolved.isValid()) {
          LocalReply answer = serve(resolved.value());
          reply = answer.reply();
          close = answer.closeAfterReply();
        } else {
          reply = resolved.error();
        }
      }
      ctx.writeAndFlush(reply)
          .addListener(
              close
                  ? ChannelFutureListener.CLOSE
                  : ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private LocalReply serve(CommandCall call) {
      Optional<Reply.ErrorReply> denied = local.checkAuth(call, session);
      if (denied.isPresent()) {
        return new LocalReply(denied.get(), false);
      }
      return switch (call.command().kind()) {
        case WRITE -> {
          Validated<WriteOp> op = parser.parse(call);
          Reply reply = op.isValid() ? kv.apply(++index, op.value().encode()) : op.error();
          yield new LocalReply(reply, false);
        }
        case READ -> new LocalReply(kv.read(call), false);
        case LOCAL -> local.answer(call, session);
        case ADMIN -> new LocalReply(Reply.err("not in this test"), false);
      };
    }
  }
}
