package io.tinykv.raft.node.kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link RespRequest} as a RESP multibulk, the form client libraries send: {@code
 * *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}. Stateless and sharable.
 */
@Sharable
final class RespRequestEncoder extends MessageToByteEncoder<RespRequest> {

  RespRequestEncoder() {
    super(RespRequest.class);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, RespRequest request, ByteBuf out) {
    header(out, '*', request.size());
    for (int i = 0; i < request.size(); i++) {
      header(out, '$', request.argLength(i));
      out.writeBytes(request.arg(i)).writeByte('\r').writeByte('\n');
    }
  }

  private static void header(ByteBuf out, char type, int number) {
    out.writeByte(type);
    out.writeCharSequence(Integer.toString(number), StandardCharsets.US_ASCII);
    out.writeByte('\r').writeByte('\n');
  }
}
