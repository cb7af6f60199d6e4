package io.tinykv.raft.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;
import io.tinykv.raft.protocol.handshake.HandshakeMessage;
import io.tinykv.raft.protocol.message.PeerMessage;
import java.util.Objects;

/**
 * Writes handshake messages and {@link PeerMessage}s as frames (layout on {@link PeerProtocol}). A
 * {@link HandshakeMessage.Hello}, always the first thing a dialling node sends, is preceded by the
 * magic. Other outbound objects (for example raw {@link ByteBuf}s) pass through untouched.
 *
 * <p>A message whose frame would exceed the maximum frame size is not sent: its write fails with an
 * {@link EncoderException} and the connection stays open (the sender must split its batches below
 * the limit). Each frame buffer is allocated once, sized by {@link MessageCodec#sizeHint}, so
 * payloads are copied into it exactly once. Stateless and {@linkplain Sharable sharable}.
 */
@Sharable
public final class PeerFrameEncoder extends MessageToByteEncoder<Object> {

  private static final int HANDSHAKE_SIZE_HINT = 128;

  private final MessageCodec codec;
  private final int maxFrameBytes;

  public PeerFrameEncoder(MessageCodec codec, int maxFrameBytes) {
    super(Object.class);
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxFrameBytes = PeerProtocol.requireValidMaxFrameBytes(maxFrameBytes);
  }

  @Override
  public boolean acceptOutboundMessage(Object msg) {
    return msg instanceof PeerMessage || msg instanceof HandshakeMessage;
  }

  @Override
  protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) {
    int bodyHint = msg instanceof PeerMessage m ? codec.sizeHint(m) : HANDSHAKE_SIZE_HINT;
    int capacity =
        PeerProtocol.MAGIC_LENGTH
            + PeerProtocol.FRAME_HEADER_BYTES
            + Math.min(bodyHint, maxFrameBytes);
    return preferDirect ? ctx.alloc().ioBuffer(capacity) : ctx.alloc().heapBuffer(capacity);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
    if (msg instanceof HandshakeMessage.Hello) {
      PeerProtocol.writeMagic(out);
    }
    int lengthIndex = out.writerIndex();
    out.writeInt(0); // patched below
    out.writeByte(PeerProtocol.VERSION);
    if (msg instanceof PeerMessage m) {
      out.writeByte(FrameType.MESSAGE.code());
      codec.encode(m, out);
    } else {
      HandshakeMessage m = (HandshakeMessage) msg;
      out.writeByte(HandshakeFrames.typeOf(m).code());
      HandshakeFrames.write(m, out);
    }
    int length = out.writerIndex() - lengthIndex - 4;
    if (length > maxFrameBytes) {
      throw new EncoderException(
          msg.getClass().getSimpleName()
              + " needs a frame of "
              + length
              + " bytes, over the maximum of "
              + maxFrameBytes);
    }
    out.setInt(lengthIndex, length);
  }
}
