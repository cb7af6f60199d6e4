package io.tinykv.raft.node.api;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/** A linearizable read could not be confirmed (no leader, or leadership changed). Retry it. */
public final class ReadFailedException extends RaftException {

  private static final long serialVersionUID = 1L;

  private final transient Optional<NodeId> leaderHint;

  public ReadFailedException(String reason, Optional<NodeId> leaderHint) {
    super(reason + leaderHint.map(l -> "; the leader is " + l).orElse(""));
    this.leaderHint = leaderHint;
  }

  public Optional<NodeId> leaderHint() {
    return leaderHint;
  }

  @Override
  public boolean definitelyNotApplied() {
    return true; // reads change nothing
  }
}
