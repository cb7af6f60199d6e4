package io.tinykv.raft.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.tinykv.raft.protocol.message.PeerMessage;

/**
 * Encodes a {@link PeerMessage} as the body of a message frame and decodes it back. The frame
 * around the body (length, version, type) is the business of {@link PeerFrameEncoder} and {@link
 * PeerFrameDecoder}; the body format belongs to the implementation ({@code
 * io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec}).
 *
 * <p>Implementations are thread-safe: one instance serves every connection and event loop.
 */
public interface MessageCodec {

  /**
   * Appends the encoding of {@code message} to {@code out}. If encoding fails, {@code out}'s writer
   * index is left where it was.
   */
  void encode(PeerMessage message, ByteBuf out);

  /**
   * Decodes one message from all readable bytes of {@code in}, which must hold exactly one message.
   * Whatever the bytes, this either returns a valid message or throws {@link
   * MessageDecodeException}; it never throws anything else and never allocates more than the input
   * can justify, so it is safe on bytes from an unauthenticated or broken peer.
   */
  PeerMessage decode(ByteBuf in) throws MessageDecodeException;

  /**
   * About how many bytes {@link #encode} will write for {@code message}, so that the frame buffer
   * is allocated once at the right size instead of growing (and copying) while large payloads are
   * written. Need not be exact.
   */
  int sizeHint(PeerMessage message);
}
