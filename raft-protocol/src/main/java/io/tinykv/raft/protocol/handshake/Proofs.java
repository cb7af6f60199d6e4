package io.tinykv.raft.protocol.handshake;

import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/** The two HMAC-SHA256 proofs of the handshake, computed as the package documentation says. */
final class Proofs {

  private static final byte[] CLIENT_LABEL = label("TKVR client proof v1");
  private static final byte[] SERVER_LABEL = label("TKVR server proof v1");

  private Proofs() {}

  /** The client's proof, answering the server's nonce. */
  static Token client(
      ClusterSecret secret,
      Token serverNonce,
      Token clientNonce,
      NodeId client,
      ClusterId cluster) {
    return prove(secret, CLIENT_LABEL, serverNonce, clientNonce, client, cluster);
  }

  /** The server's proof, answering the client's nonce. */
  static Token server(
      ClusterSecret secret,
      Token clientNonce,
      Token serverNonce,
      NodeId server,
      ClusterId cluster) {
    return prove(secret, SERVER_LABEL, clientNonce, serverNonce, server, cluster);
  }

  private static Token prove(
      ClusterSecret secret,
      byte[] label,
      Token challenge,
      Token ownNonce,
      NodeId prover,
      ClusterId cluster) {
    Mac mac = secret.newMac();
    mac.update(label);
    challenge.feed(mac);
    ownNonce.feed(mac);
    feed(mac, prover.value());
    feed(mac, cluster.value());
    return Token.ofMac(mac);
  }

  private static void feed(Mac mac, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    mac.update((byte) (bytes.length >>> 8));
    mac.update((byte) bytes.length);
    mac.update(bytes);
  }

  private static byte[] label(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
