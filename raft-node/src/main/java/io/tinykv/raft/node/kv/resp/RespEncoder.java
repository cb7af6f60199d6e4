package io.tinykv.raft.node.kv.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes {@link Reply} values as RESP2 bytes. Stateless and sharable across connections. Simple
 * strings and error texts are written as UTF-8.
 */
@Sharable
public final class RespEncoder extends MessageToByteEncoder<Reply> {

  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] NULL_BULK = {'$', '-', '1', '\r', '\n'};

  public RespEncoder() {
    super(Reply.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Reply reply, ByteBuf out) {
    write(reply, out);
  }

  /** Appends the RESP2 form of {@code reply} to {@code out}. */
  public static void write(Reply reply, ByteBuf out) {
    if (reply instanceof Reply.SimpleString simple) {
      line(out, '+', simple.text());
    } else if (reply instanceof Reply.ErrorReply error) {
      line(out, '-', error.message());
    } else if (reply instanceof Reply.IntegerReply integer) {
      header(out, ':', integer.value());
    } else if (reply instanceof Reply.BulkString bulk) {
      header(out, '$', bulk.length());
      out.writeBytes(bulk.contentUnsafe()).writeBytes(CRLF);
    } else if (reply instanceof Reply.NullBulkString) {
      out.writeBytes(NULL_BULK);
    } else {
      Reply.ArrayReply array = (Reply.ArrayReply) reply;
      header(out, '*', array.items().size());
      for (Reply item : array.items()) {
        write(item, out);
      }
    }
  }

  /** The RESP2 bytes of {@code reply}. */
  public static byte[] toBytes(Reply reply) {
    ByteBuf buf = Unpooled.buffer();
    try {
      write(reply, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  private static void line(ByteBuf out, char type, String text) {
    out.writeByte(type);
    out.writeCharSequence(text, StandardCharsets.UTF_8);
    out.writeBytes(CRLF);
  }

  private static void header(ByteBuf out, char type, long number) {
    out.writeByte(type);
    out.writeCharSequence(Long.toString(number), StandardCharsets.US_ASCII);
    out.writeBytes(CRLF);
  }
}
