package io.tinykv.raft.jmx;

/**
 * The leader's view of one follower, registered on the leader only as {@code
 * io.tinykv:type=Peer,node=<id>,peer=<peerId>} (see {@link ObjectNames#peer(String, String)}).
 */
public interface PeerMXBean {

  /** Highest log index known to be replicated on the peer (log index; 0 if none). */
  long getMatchIndex();

  /** Index of the next log entry the leader will send to the peer (log index). */
  long getNextIndex();

  /** How many entries the peer is behind the leader's last log index (entries; 0 if caught up). */
  long getLagEntries();

  /** Milliseconds since the leader last received a response from the peer (-1 if never). */
  long getLastContactAgeMillis();

  /** Number of AppendEntries/InstallSnapshot requests sent to the peer and not yet answered. */
  int getInFlight();

  /** Number of heartbeats to the peer that went unanswered, since this node became leader. */
  long getHeartbeatLosses();

  /** Number of times the connection to the peer was re-established, since the node started. */
  long getReconnects();
}
