package io.tinykv.raft.node.api;

/**
 * The node stopped (closed, or failed on a storage error) before the request completed. A command
 * already proposed may still be committed by the rest of the cluster: its outcome is unknown.
 */
public final class NodeStoppedException extends RaftException {

  private static final long serialVersionUID = 1L;

  private final boolean proposed;

  public NodeStoppedException(String reason, boolean proposed) {
    super(reason);
    this.proposed = proposed;
  }

  @Override
  public boolean definitelyNotApplied() {
    return !proposed;
  }
}
