package io.tinykv.raft.protocol.codec;

import io.tinykv.raft.protocol.WireCoded;

/** The type byte of a frame. Codes are never reused. */
enum FrameType implements WireCoded {
  HELLO((byte) 1),
  CHALLENGE((byte) 2),
  PROOF((byte) 3),
  ACCEPTED((byte) 4),
  REFUSED((byte) 5),
  /** A {@link io.tinykv.raft.protocol.message.PeerMessage} encoded by the {@link MessageCodec}. */
  MESSAGE((byte) 16);

  private final byte code;

  FrameType(byte code) {
    this.code = code;
  }

  @Override
  public byte code() {
    return code;
  }
}
