package io.tinykv.raft.node.core;

/** Why the core refused a proposal or a read; each says what the caller should do next. */
public enum RejectReason {
  /** This node is not the leader; retry at the leader hint if there is one, else later. */
  NOT_LEADER,
  /** The leader is handing over leadership; retry shortly, most likely at the new leader. */
  LEADERSHIP_TRANSFER_IN_PROGRESS,
  /**
   * This leader has not heard from a majority within an election timeout, so nothing it appends
   * could commit (the seed's stop_accepting_writes); retry later, likely at a new leader.
   */
  NO_QUORUM,
  /** Leadership changed or could not be confirmed while the read waited; retry the read. */
  LEADERSHIP_LOST,
  /**
   * A membership change is still in progress (not yet committed, or a joint configuration not yet
   * left), or this new leader has not yet committed an entry of its term; retry once it finishes.
   */
  MEMBERSHIP_CHANGE_IN_PROGRESS
}
