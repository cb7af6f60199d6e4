package io.tinykv.raft.protocol.codec;

/**
 * Bytes from a peer that are not a valid frame or message: truncated, oversized, of an unknown
 * version or type, or with a body that does not decode. The only exception the decoding side of the
 * codec throws; the connection that sent such bytes is closed.
 */
public final class MessageDecodeException extends Exception {

  private static final long serialVersionUID = 1L;

  public MessageDecodeException(String message) {
    super(message);
  }

  public MessageDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
