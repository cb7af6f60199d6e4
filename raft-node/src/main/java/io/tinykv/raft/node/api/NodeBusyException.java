package io.tinykv.raft.node.api;

/**
 * The node's request queue (its raft ring) is full, so the request was refused before reaching
 * Raft: nothing was proposed. Retry after a short pause, or at another node.
 */
public final class NodeBusyException extends RaftException {

  private static final long serialVersionUID = 1L;

  public NodeBusyException(String message) {
    super(message);
  }

  @Override
  public boolean definitelyNotApplied() {
    return true;
  }
}
