package io.tinykv.raft.protocol.codec;

import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;

/**
 * The user event {@link HandshakeHandler} fires down the pipeline once the handshake succeeded:
 * from now on the connection is a link to {@code peer}, and messages may be written on it.
 */
public record PeerAuthenticated(NodeId peer) {

  public PeerAuthenticated {
    Objects.requireNonNull(peer, "peer");
  }
}
