package io.tinykv.raft.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.handshake.HandshakeMessage;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Accepted;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Challenge;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Hello;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Proof;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Refused;
import io.tinykv.raft.protocol.handshake.RefusalReason;
import io.tinykv.raft.protocol.handshake.Token;
import java.nio.charset.StandardCharsets;

/**
 * The bodies of handshake frames, written by hand because they are read before the peer is trusted
 * and must never change meaning:
 *
 * <pre>
 * HELLO     : string node id, string cluster id, 32-byte client nonce
 * CHALLENGE : string node id, 32-byte server nonce
 * PROOF     : 32-byte HMAC
 * ACCEPTED  : 32-byte HMAC
 * REFUSED   : u8 reason code
 * string    : u16 length (big-endian), UTF-8 bytes
 * </pre>
 */
final class HandshakeFrames {

  private HandshakeFrames() {}

  static FrameType typeOf(HandshakeMessage message) {
    if (message instanceof Hello) {
      return FrameType.HELLO;
    } else if (message instanceof Challenge) {
      return FrameType.CHALLENGE;
    } else if (message instanceof Proof) {
      return FrameType.PROOF;
    } else if (message instanceof Accepted) {
      return FrameType.ACCEPTED;
    } else {
      return FrameType.REFUSED; // the only permitted type left
    }
  }

  static void write(HandshakeMessage message, ByteBuf out) {
    if (message instanceof Hello m) {
      writeString(m.node().value(), out);
      writeString(m.cluster().value(), out);
      out.writeBytes(m.nonce().toByteArray());
    } else if (message instanceof Challenge m) {
      writeString(m.node().value(), out);
      out.writeBytes(m.nonce().toByteArray());
    } else if (message instanceof Proof m) {
      out.writeBytes(m.proof().toByteArray());
    } else if (message instanceof Accepted m) {
      out.writeBytes(m.proof().toByteArray());
    } else if (message instanceof Refused m) {
      out.writeByte(m.reason().code());
    }
  }

  /** Reads the whole {@code body} of a handshake frame of the given type. */
  static HandshakeMessage read(FrameType type, ByteBuf body) throws MessageDecodeException {
    HandshakeMessage message;
    try {
      message =
          switch (type) {
            case HELLO ->
                new Hello(
                    NodeId.of(readString(body)), ClusterId.of(readString(body)), readToken(body));
            case CHALLENGE -> new Challenge(NodeId.of(readString(body)), readToken(body));
            case PROOF -> new Proof(readToken(body));
            case ACCEPTED -> new Accepted(readToken(body));
            case REFUSED -> new Refused(RefusalReason.fromCode(body.readByte()));
            case MESSAGE -> throw new IllegalArgumentException("not a handshake frame");
          };
    } catch (RuntimeException e) {
      throw new MessageDecodeException("malformed " + type + " frame: " + e.getMessage(), e);
    }
    if (body.isReadable()) {
      throw new MessageDecodeException(
          body.readableBytes() + " unexpected bytes after a " + type + " frame");
    }
    return message;
  }

  private static void writeString(String text, ByteBuf out) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.writeBytes(bytes);
  }

  private static String readString(ByteBuf in) {
    int length = in.readUnsignedShort();
    return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
  }

  private static Token readToken(ByteBuf in) {
    byte[] bytes = new byte[Token.LENGTH];
    in.readBytes(bytes);
    return Token.copyOf(bytes);
  }
}
