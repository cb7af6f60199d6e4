package io.tinykv.raft.node.api;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/** This node is not the leader; nothing was proposed. Retry at the leader hint, if any. */
public final class NotLeaderException extends RaftException {

  private static final long serialVersionUID = 1L;

  private final transient Optional<NodeId> leaderHint;

  public NotLeaderException(Optional<NodeId> leaderHint, String reason) {
    super(reason + leaderHint.map(l -> "; the leader is " + l).orElse("; no leader is known"));
    this.leaderHint = leaderHint;
  }

  public Optional<NodeId> leaderHint() {
    return leaderHint;
  }

  @Override
  public boolean definitelyNotApplied() {
    return true;
  }
}
