package io.tinykv.raft.node.api;

/**
 * A membership change was refused, or could not be seen through: the message says which, and {@link
 * #definitelyNotApplied()} whether the configuration may still change as asked.
 */
public final class MembershipChangeException extends RaftException {

  private static final long serialVersionUID = 1L;

  private final boolean definitelyNotApplied;

  public MembershipChangeException(String message, boolean definitelyNotApplied) {
    super(message);
    this.definitelyNotApplied = definitelyNotApplied;
  }

  @Override
  public boolean definitelyNotApplied() {
    return definitelyNotApplied;
  }
}
