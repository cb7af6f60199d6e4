package io.tinykv.raft.node.transport.netty;

import io.tinykv.raft.protocol.NodeId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of the link to one peer, for status pages and the per-peer management bean. Counters
 * run from the transport's start and never decrease.
 *
 * @param peer the peer
 * @param connected whether this node has an authenticated outbound connection to the peer now
 * @param messagesSent messages written to the peer's socket
 * @param messagesReceived messages accepted from the peer, on any of its connections
 * @param messagesDropped messages to the peer that {@code send} dropped (not connected, queue or
 *     socket buffer full) or whose write failed
 * @param connectFailures dial attempts that did not end in an authenticated link (refused, timed
 *     out, unknown address, failed handshake)
 * @param reconnects authenticated links established after the first one
 * @param lastContact when the last message from the peer arrived, if any did
 */
public record PeerLinkStats(
    NodeId peer,
    boolean connected,
    long messagesSent,
    long messagesReceived,
    long messagesDropped,
    long connectFailures,
    long reconnects,
    Optional<Instant> lastContact) {

  public PeerLinkStats {
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(lastContact, "lastContact");
  }

  /**
   * Everything that counts as losing touch with the peer: dropped messages plus failed connection
   * attempts (the transport's analogue of missed heartbeats).
   */
  public long losses() {
    return messagesDropped + connectFailures;
  }
}
