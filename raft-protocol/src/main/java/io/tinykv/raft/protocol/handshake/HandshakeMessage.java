package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;

/**
 * The messages of the peer handshake, in the order they are sent:
 *
 * <pre>
 * client                                         server
 *   Hello(client id, cluster id, client nonce) ──►
 *                                              ◄── Challenge(server id, server nonce)
 *                                                  or Refused(FOREIGN_CLUSTER)
 *   Proof(HMAC client proof)                   ──►
 *                                              ◄── Accepted(HMAC server proof)
 *                                                  or Refused(BAD_PROOF)
 * </pre>
 *
 * How the proofs are computed is described in the package documentation.
 */
public sealed interface HandshakeMessage {

  /** The client introduces itself and sends the nonce the server must prove itself with. */
  record Hello(NodeId node, ClusterId cluster, Token nonce) implements HandshakeMessage {
    public Hello {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(nonce, "nonce");
    }
  }

  /** The server introduces itself and sends the nonce the client must prove itself with. */
  record Challenge(NodeId node, Token nonce) implements HandshakeMessage {
    public Challenge {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(nonce, "nonce");
    }
  }

  /** The client's proof that it knows the cluster secret. */
  record Proof(Token proof) implements HandshakeMessage {
    public Proof {
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** The server accepts the client and proves in turn that it knows the cluster secret. */
  record Accepted(Token proof) implements HandshakeMessage {
    public Accepted {
      Objects.requireNonNull(proof, "proof");
    }
  }

  /** The server refuses the client; the connection closes after this message. */
  record Refused(RefusalReason reason) implements HandshakeMessage {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
