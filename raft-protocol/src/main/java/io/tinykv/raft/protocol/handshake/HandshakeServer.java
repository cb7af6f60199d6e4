package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.handshake.HandshakeMessage.Accepted;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Challenge;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Hello;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Proof;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Refused;
import java.util.Objects;
import java.util.Optional;

/**
 * The accepting side of a peer handshake. It answers a {@link Hello} from the same cluster with a
 * {@link Challenge} carrying a fresh nonce, checks the client's {@link Proof} in constant time, and
 * then accepts with its own proof or refuses. A foreign cluster, a wrong proof or a message out of
 * order ends the handshake with a {@link Refused} telling the client why.
 */
public final class HandshakeServer implements Handshake {

  private enum State {
    AWAITING_HELLO,
    AWAITING_PROOF,
    FINISHED
  }

  private final HandshakeConfig config;
  private final NonceSource nonces;
  private State state = State.AWAITING_HELLO;
  // Set when the Hello is accepted; the Proof is checked against them.
  private Hello hello;
  private Token serverNonce;

  public HandshakeServer(HandshakeConfig config, NonceSource nonces) {
    this.config = Objects.requireNonNull(config, "config");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  @Override
  public HandshakeStep receive(HandshakeMessage message) {
    Objects.requireNonNull(message, "message");
    if (state == State.AWAITING_HELLO && message instanceof Hello h) {
      return onHello(h);
    }
    if (state == State.AWAITING_PROOF && message instanceof Proof p) {
      return onProof(p);
    }
    return refuse(
        RefusalReason.PROTOCOL_VIOLATION,
        "unexpected " + message.getClass().getSimpleName() + " while " + state);
  }

  @Override
  public boolean isFinished() {
    return state == State.FINISHED;
  }

  private HandshakeStep onHello(Hello h) {
    if (!h.cluster().equals(config.clusterId())) {
      return refuse(
          RefusalReason.FOREIGN_CLUSTER,
          h.node() + " is in cluster " + h.cluster() + ", this node in " + config.clusterId());
    }
    hello = h;
    serverNonce = Token.random(nonces);
    state = State.AWAITING_PROOF;
    return new HandshakeStep.Continue(new Challenge(config.localNode(), serverNonce));
  }

  private HandshakeStep onProof(Proof p) {
    Token expected =
        Proofs.client(
            config.secret(), serverNonce, hello.nonce(), hello.node(), config.clusterId());
    if (!expected.equals(p.proof())) {
      return refuse(RefusalReason.BAD_PROOF, "wrong proof from " + hello.node());
    }
    state = State.FINISHED;
    Token proof =
        Proofs.server(
            config.secret(), hello.nonce(), serverNonce, config.localNode(), config.clusterId());
    return new HandshakeStep.Succeeded(hello.node(), Optional.of(new Accepted(proof)));
  }

  private HandshakeStep refuse(RefusalReason reason, String detail) {
    state = State.FINISHED;
    return new HandshakeStep.Failed(reason, detail, Optional.of(new Refused(reason)));
  }
}
