package io.tinykv.raft.protocol.codec;

import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of peer links: who this node is in the handshake, the largest frame accepted or
 * sent, and how long a handshake may take before the connection is dropped.
 */
public record PeerLinkConfig(
    HandshakeConfig handshake, int maxFrameBytes, Duration handshakeTimeout) {

  /** The handshake timeout of {@link #withDefaults}. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  public PeerLinkConfig {
    Objects.requireNonNull(handshake, "handshake");
    PeerProtocol.requireValidMaxFrameBytes(maxFrameBytes);
    PeerProtocol.requireValidHandshakeTimeout(handshakeTimeout);
  }

  /** {@link PeerProtocol#DEFAULT_MAX_FRAME_BYTES} and {@link #DEFAULT_HANDSHAKE_TIMEOUT}. */
  public static PeerLinkConfig withDefaults(HandshakeConfig handshake) {
    return new PeerLinkConfig(
        handshake, PeerProtocol.DEFAULT_MAX_FRAME_BYTES, DEFAULT_HANDSHAKE_TIMEOUT);
  }
}
