package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;
import java.util.Optional;

/** What a {@link Handshake} asks its driver to do after a message: send, and go on or stop. */
public sealed interface HandshakeStep {

  /** The message to send the peer now, if any; sent before acting on the rest of the step. */
  Optional<HandshakeMessage> reply();

  /** The handshake goes on: send {@code message} and wait for the peer's answer. */
  record Continue(HandshakeMessage message) implements HandshakeStep {
    public Continue {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public Optional<HandshakeMessage> reply() {
      return Optional.of(message);
    }
  }

  /** Both sides proved knowledge of the secret: the link belongs to {@code peer}. */
  record Succeeded(NodeId peer, Optional<HandshakeMessage> reply) implements HandshakeStep {
    public Succeeded {
      Objects.requireNonNull(peer, "peer");
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** The handshake failed: send the reply if any, log {@code reason} and {@code detail}, close. */
  record Failed(RefusalReason reason, String detail, Optional<HandshakeMessage> reply)
      implements HandshakeStep {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(reply, "reply");
    }
  }
}
