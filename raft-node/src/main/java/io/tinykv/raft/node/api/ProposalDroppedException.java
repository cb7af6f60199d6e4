package io.tinykv.raft.node.api;

/**
 * The command was appended by a leader that lost leadership before it committed, and another entry
 * has since been committed at its index: it definitely did not take effect. Safe to retry.
 */
public final class ProposalDroppedException extends RaftException {

  private static final long serialVersionUID = 1L;

  public ProposalDroppedException(long index, long term) {
    super("proposal at index " + index + " in term " + term + " was overwritten by a newer leader");
  }

  @Override
  public boolean definitelyNotApplied() {
    return true;
  }
}
