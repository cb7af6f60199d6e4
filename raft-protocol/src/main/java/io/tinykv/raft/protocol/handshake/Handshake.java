package io.tinykv.raft.protocol.handshake;

/**
 * One side of one peer handshake. Single-threaded and single-use: feed it the peer's messages in
 * order and act on each {@link HandshakeStep}; after a {@link HandshakeStep.Succeeded} or {@link
 * HandshakeStep.Failed} every further message fails with {@link RefusalReason#PROTOCOL_VIOLATION}.
 */
public sealed interface Handshake permits HandshakeClient, HandshakeServer {

  HandshakeStep receive(HandshakeMessage message);

  /** True once the handshake succeeded or failed. */
  boolean isFinished();
}
