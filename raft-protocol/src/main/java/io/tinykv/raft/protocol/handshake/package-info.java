/**
 * The peer handshake as pure state machines: {@link
 * io.tinykv.raft.protocol.handshake.HandshakeClient} for the node that dials, {@link
 * io.tinykv.raft.protocol.handshake.HandshakeServer} for the node that accepts. They exchange
 * {@link io.tinykv.raft.protocol.handshake.HandshakeMessage}s and prove to each other, with
 * HMAC-SHA256 over fresh nonces, that both know the cluster secret; the secret itself never leaves
 * the node. Nothing here touches a socket or a thread: the Netty handler in {@code
 * io.tinykv.raft.protocol.codec} drives them, and tests drive them directly.
 *
 * <p>Each proof is HMAC-SHA256 keyed by the cluster secret over
 *
 * <pre>
 * label || challenge nonce || own nonce || u16 length || prover id || u16 length || cluster id
 * </pre>
 *
 * where the label is {@code "TKVR client proof v1"} or {@code "TKVR server proof v1"} (ASCII), the
 * challenge nonce is the one the verifier chose, and ids are UTF-8. A proof is therefore only good
 * for the handshake it was made in (a recorded one cannot be replayed), a server's proof can never
 * be reflected back to it as a client's, and no two (id, cluster) pairs feed the same bytes. The
 * verifier recomputes the proof and compares in constant time.
 */
package io.tinykv.raft.protocol.handshake;
