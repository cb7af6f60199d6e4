package io.tinykv.raft.node.api;

/**
 * Base of the errors a {@link RaftNode} reports through its futures. Each subclass says what the
 * caller should do next, and whether the command may have been applied.
 */
public abstract class RaftException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  protected RaftException(String message) {
    super(message, null, false, false);
  }

  /**
   * True if the command definitely did not take effect, so retrying cannot apply it twice. False
   * means the outcome is unknown: it may or may not be applied.
   */
  public abstract boolean definitelyNotApplied();
}
