package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.WireCoded;

/**
 * Why a handshake failed. The server sends its reason to the client in a {@link
 * HandshakeMessage.Refused}, so both logs tell the operator what to fix; each reason has a stable
 * one-byte wire code, never reused.
 */
public enum RefusalReason implements WireCoded {
  /** The two nodes were started with different cluster ids. */
  FOREIGN_CLUSTER((byte) 1, "the peer belongs to another cluster"),
  /** The client's proof is wrong: its cluster secret differs from the server's. */
  BAD_PROOF((byte) 2, "the peer did not prove knowledge of the cluster secret"),
  /** A handshake message arrived out of order. */
  PROTOCOL_VIOLATION((byte) 3, "the peer broke the handshake protocol"),
  /** The server's proof is wrong: the server does not know the cluster secret. */
  SERVER_NOT_AUTHENTIC((byte) 4, "the server did not prove knowledge of the cluster secret");

  private final byte code;
  private final String description;

  RefusalReason(byte code, String description) {
    this.code = code;
    this.description = description;
  }

  @Override
  public byte code() {
    return code;
  }

  /** A sentence for the log. */
  public String description() {
    return description;
  }

  /**
   * Returns the reason with the given code.
   *
   * @throws IllegalArgumentException if the code is unknown
   */
  public static RefusalReason fromCode(byte code) {
    return WireCoded.fromCode(RefusalReason.class, code);
  }
}
