package io.tinykv.raft.protocol.codec;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The constants of the peer protocol and the test that tells a peer link from a client on the
 * shared port.
 *
 * <p>A peer connection starts with the 4-byte {@linkplain #MAGIC_LENGTH magic} {@code "TKVR"}, sent
 * by the dialling node, followed in both directions by frames:
 *
 * <pre>
 * frame := length (u32, big-endian: bytes after this field) | version (u8) | type (u8) | body
 * </pre>
 *
 * The first frames are the handshake (see {@code io.tinykv.raft.protocol.handshake}); once it
 * succeeds the frames carry {@link io.tinykv.raft.protocol.message.PeerMessage}s encoded by a
 * {@link MessageCodec}. A frame whose length exceeds the configured maximum, whose version or type
 * is unknown, or whose body does not decode closes the connection.
 */
public final class PeerProtocol {

  /** The protocol version every frame carries; a frame of any other version is refused. */
  public static final int VERSION = 1;

  /** The length of the magic that opens a peer connection. */
  public static final int MAGIC_LENGTH = 4;

  /** The default maximum of a frame's length field: 16 MiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

  /** The smallest maximum frame size that can be configured: handshake frames must fit. */
  public static final int MIN_MAX_FRAME_BYTES = 4 * 1024;

  /** Bytes of a frame before its body: length (4), version (1), type (1). */
  static final int FRAME_HEADER_BYTES = 6;

  private static final byte[] MAGIC = "TKVR".getBytes(StandardCharsets.US_ASCII);

  /** What the first bytes of a connection say about it. */
  public enum Detection {
    /** The connection opens with the peer magic: hand it to the peer pipeline. */
    PEER,
    /** It does not: a client (RESP, inline command) or garbage. */
    NOT_PEER,
    /** Too few bytes yet, and those there match the magic's start: wait for more. */
    NEED_MORE_BYTES
  }

  private PeerProtocol() {}

  /**
   * Tells from the first bytes of a connection whether it is a peer link. Reads from {@code
   * firstBytes}' reader index without moving it, so the caller can pass the same bytes on to
   * whichever pipeline it picks.
   */
  public static Detection detect(ByteBuf firstBytes) {
    int available = Math.min(firstBytes.readableBytes(), MAGIC_LENGTH);
    int start = firstBytes.readerIndex();
    for (int i = 0; i < available; i++) {
      if (firstBytes.getByte(start + i) != MAGIC[i]) {
        return Detection.NOT_PEER;
      }
    }
    return available == MAGIC_LENGTH ? Detection.PEER : Detection.NEED_MORE_BYTES;
  }

  /** A copy of the magic bytes. */
  public static byte[] magic() {
    return MAGIC.clone();
  }

  static void writeMagic(ByteBuf out) {
    out.writeBytes(MAGIC);
  }

  static Duration requireValidHandshakeTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "handshake timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
    }
    return timeout;
  }

  static int requireValidMaxFrameBytes(int maxFrameBytes) {
    if (maxFrameBytes < MIN_MAX_FRAME_BYTES) {
      throw new IllegalArgumentException(
          "max frame size must be at least "
              + MIN_MAX_FRAME_BYTES
              + " bytes, got "
              + maxFrameBytes);
    }
    return maxFrameBytes;
  }
}
