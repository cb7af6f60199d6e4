package io.tinykv.raft.node.api;

import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/**
 * This node did not accept the proposal; nothing was proposed. {@link #reason()} says why: not the
 * leader (retry at the leader hint, if any), a leadership transfer in progress, or a leader that
 * cannot reach a majority ({@link RejectReason#NO_QUORUM}).
 */
public final class NotLeaderException extends RaftException {

  private static final long serialVersionUID = 1L;

  private final transient Optional<NodeId> leaderHint;
  private final RejectReason reason;

  public NotLeaderException(Optional<NodeId> leaderHint, RejectReason reason) {
    super(
        "not accepted: "
            + reason
            + leaderHint.map(l -> "; the leader is " + l).orElse("; no leader is known"));
    this.leaderHint = leaderHint;
    this.reason = reason;
  }

  public Optional<NodeId> leaderHint() {
    return leaderHint;
  }

  /** Why the proposal was refused. */
  public RejectReason reason() {
    return reason;
  }

  @Override
  public boolean definitelyNotApplied() {
    return true;
  }
}
