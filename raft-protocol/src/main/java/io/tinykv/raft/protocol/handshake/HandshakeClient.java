package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Accepted;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Challenge;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Hello;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Proof;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Refused;
import java.util.Objects;
import java.util.Optional;

/**
 * The dialling side of a peer handshake. It opens with a {@link Hello} carrying a fresh nonce,
 * answers the server's {@link Challenge} with its {@link Proof}, and succeeds only once the server
 * has proved in turn, in its {@link Accepted}, that it knows the cluster secret (mutual
 * authentication: a node never sends Raft messages to an impostor).
 */
public final class HandshakeClient implements Handshake {

  private enum State {
    NEW,
    AWAITING_CHALLENGE,
    AWAITING_VERDICT,
    FINISHED
  }

  private final HandshakeConfig config;
  private final NonceSource nonces;
  private State state = State.NEW;
  private Token clientNonce;
  // Set by the Challenge; the server's proof is checked against them.
  private NodeId server;
  private Token serverNonce;

  public HandshakeClient(HandshakeConfig config, NonceSource nonces) {
    this.config = Objects.requireNonNull(config, "config");
    this.nonces = Objects.requireNonNull(nonces, "nonces");
  }

  /**
   * The first message of the handshake.
   *
   * @throws IllegalStateException if called twice
   */
  public Hello start() {
    if (state != State.NEW) {
      throw new IllegalStateException("handshake already started");
    }
    clientNonce = Token.random(nonces);
    state = State.AWAITING_CHALLENGE;
    return new Hello(config.localNode(), config.clusterId(), clientNonce);
  }

  @Override
  public HandshakeStep receive(HandshakeMessage message) {
    Objects.requireNonNull(message, "message");
    boolean waiting = state == State.AWAITING_CHALLENGE || state == State.AWAITING_VERDICT;
    if (waiting && message instanceof Refused r) {
      return fail(r.reason(), "refused by the server: " + r.reason().description());
    }
    if (state == State.AWAITING_CHALLENGE && message instanceof Challenge c) {
      server = c.node();
      serverNonce = c.nonce();
      state = State.AWAITING_VERDICT;
      Token proof =
          Proofs.client(
              config.secret(), serverNonce, clientNonce, config.localNode(), config.clusterId());
      return new HandshakeStep.Continue(new Proof(proof));
    }
    if (state == State.AWAITING_VERDICT && message instanceof Accepted a) {
      Token expected =
          Proofs.server(config.secret(), clientNonce, serverNonce, server, config.clusterId());
      if (!expected.equals(a.proof())) {
        return fail(RefusalReason.SERVER_NOT_AUTHENTIC, "wrong proof from " + server);
      }
      state = State.FINISHED;
      return new HandshakeStep.Succeeded(server, Optional.empty());
    }
    return fail(
        RefusalReason.PROTOCOL_VIOLATION,
        "unexpected " + message.getClass().getSimpleName() + " while " + state);
  }

  @Override
  public boolean isFinished() {
    return state == State.FINISHED;
  }

  private HandshakeStep fail(RefusalReason reason, String detail) {
    state = State.FINISHED;
    return new HandshakeStep.Failed(reason, detail, Optional.empty());
  }
}
