package io.tinykv.raft.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tinykv.raft.protocol.WireCoded;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the bytes of a peer connection into handshake messages and {@link
 * io.tinykv.raft.protocol.message.PeerMessage}s (frame layout on {@link PeerProtocol}).
 *
 * <p>A bad frame closes the connection: a length above the maximum (detected from the length field
 * alone, before buffering anything), an unknown version or frame type (detected from the header), a
 * missing magic, or a body that does not decode. The reason is logged with the remote address,
 * nothing of that frame or anything after it is passed on, and the remaining input is discarded.
 *
 * <p>Reads are accumulated without copying (Netty's composite cumulator), so an entry payload is
 * copied exactly once on its way in, from the received bytes into the array its entry keeps.
 *
 * <p>One instance per connection (it keeps decoding state).
 */
public final class PeerFrameDecoder extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(PeerFrameDecoder.class);

  private final MessageCodec codec;
  private final int maxFrameBytes;
  private boolean awaitingMagic;
  private boolean failed;

  private PeerFrameDecoder(MessageCodec codec, int maxFrameBytes, boolean awaitingMagic) {
    this.codec = Objects.requireNonNull(codec, "codec");
    this.maxFrameBytes = PeerProtocol.requireValidMaxFrameBytes(maxFrameBytes);
    this.awaitingMagic = awaitingMagic;
    // A frame that spans several socket reads is kept as a list of those reads rather than
    // merged into one buffer, so its payloads are copied once: from the reads into their arrays.
    setCumulator(COMPOSITE_CUMULATOR);
  }

  /** For a connection this node accepted: it opens with the magic, which this decoder consumes. */
  public static PeerFrameDecoder forAcceptedConnection(MessageCodec codec, int maxFrameBytes) {
    return new PeerFrameDecoder(codec, maxFrameBytes, true);
  }

  /** For a connection this node dialled: the other side sends frames only. */
  public static PeerFrameDecoder forDialledConnection(MessageCodec codec, int maxFrameBytes) {
    return new PeerFrameDecoder(codec, maxFrameBytes, false);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      Object decoded = decodeFrame(in);
      if (decoded != null) {
        out.add(decoded);
      }
    } catch (MessageDecodeException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      log.warn("closing peer connection {}: {}", ctx.channel().remoteAddress(), e.getMessage());
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (in.isReadable()) {
      log.debug(
          "peer connection {} closed in the middle of a frame ({} bytes dropped)",
          ctx.channel().remoteAddress(),
          in.readableBytes());
      in.skipBytes(in.readableBytes());
    }
  }

  /** Returns the next message, or null if its bytes have not all arrived yet. */
  private Object decodeFrame(ByteBuf in) throws MessageDecodeException {
    if (awaitingMagic) {
      PeerProtocol.Detection detection = PeerProtocol.detect(in);
      if (detection == PeerProtocol.Detection.NOT_PEER) {
        throw new MessageDecodeException("the connection does not open with the peer magic");
      } else if (detection == PeerProtocol.Detection.NEED_MORE_BYTES) {
        return null;
      }
      in.skipBytes(PeerProtocol.MAGIC_LENGTH);
      awaitingMagic = false;
    }
    if (in.readableBytes() < PeerProtocol.FRAME_HEADER_BYTES) {
      if (in.readableBytes() >= 4) {
        checkLength(in.getUnsignedInt(in.readerIndex()));
      }
      return null;
    }
    int start = in.readerIndex();
    long length = in.getUnsignedInt(start);
    checkLength(length);
    int version = in.getUnsignedByte(start + 4);
    if (version != PeerProtocol.VERSION) {
      throw new MessageDecodeException(
          "unsupported protocol version "
              + version
              + " (this node speaks "
              + PeerProtocol.VERSION
              + ")");
    }
    FrameType type = frameType(in.getByte(start + 5));
    if (in.readableBytes() < 4 + length) {
      return null;
    }
    in.skipBytes(PeerProtocol.FRAME_HEADER_BYTES);
    ByteBuf body = in.readSlice((int) length - 2);
    return type == FrameType.MESSAGE ? codec.decode(body) : HandshakeFrames.read(type, body);
  }

  private void checkLength(long length) throws MessageDecodeException {
    if (length > maxFrameBytes) {
      throw new MessageDecodeException(
          "frame of " + length + " bytes exceeds the maximum of " + maxFrameBytes);
    }
    if (length < 2) {
      throw new MessageDecodeException("frame length " + length + " is shorter than its header");
    }
  }

  private static FrameType frameType(byte code) throws MessageDecodeException {
    try {
      return WireCoded.fromCode(FrameType.class, code);
    } catch (IllegalArgumentException e) {
      throw new MessageDecodeException("unknown frame type " + (code & 0xff), e);
    }
  }
}
