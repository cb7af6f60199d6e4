package io.tinykv.raft.node.jmx;

import io.tinykv.raft.jmx.PeerMXBean;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.core.PeerProgress;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.transport.netty.PeerLinkStats;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The leader's view of one follower, read from the published status (replication progress) and the
 * transport (link counters). Registered while this node leads with the peer in its configuration;
 * between a step-down and its unregistration (at most one status poll) it reads as empty progress.
 */
final class PeerBean implements PeerMXBean {

  private final NodeId peer;
  private final Supplier<NodeStatus> status;
  private final Function<NodeId, Optional<PeerLinkStats>> links;
  private final int tickMillis;
  private final long lossesBefore;

  /**
   * @param links the transport's counters for a peer, if it keeps any
   * @param tickMillis the length of a tick, to turn the core's tick counts into milliseconds
   */
  PeerBean(
      NodeId peer,
      Supplier<NodeStatus> status,
      Function<NodeId, Optional<PeerLinkStats>> links,
      int tickMillis) {
    this.peer = peer;
    this.status = status;
    this.links = links;
    this.tickMillis = tickMillis;
    // Heartbeat losses count from the moment this node (re)became leader.
    this.lossesBefore = links.apply(peer).map(PeerLinkStats::losses).orElse(0L);
  }

  private Optional<PeerProgress> progress() {
    return Optional.ofNullable(status.get().raft().progress().get(peer));
  }

  @Override
  public long getMatchIndex() {
    return progress().map(PeerProgress::match).orElse(0L);
  }

  @Override
  public long getNextIndex() {
    return progress().map(PeerProgress::next).orElse(0L);
  }

  @Override
  public long getLagEntries() {
    RaftStatus raft = status.get().raft();
    PeerProgress p = raft.progress().get(peer);
    return p == null ? 0 : Math.max(0, raft.lastIndex() - p.match());
  }

  @Override
  public long getLastContactAgeMillis() {
    return progress().map(p -> p.ticksSinceHeard() * tickMillis).orElse(-1L);
  }

  @Override
  public int getInFlight() {
    return progress().map(PeerProgress::inflight).orElse(0);
  }

  @Override
  public long getHeartbeatLosses() {
    return links.apply(peer).map(s -> Math.max(0, s.losses() - lossesBefore)).orElse(0L);
  }

  @Override
  public long getReconnects() {
    return links.apply(peer).map(PeerLinkStats::reconnects).orElse(0L);
  }
}
