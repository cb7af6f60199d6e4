package io.tinykv.raft.node.core.quorum;

/** The state of an election as far as a quorum is concerned. */
public enum VoteResult {
  /** Neither enough grants to win nor enough rejections to lose yet. */
  PENDING,
  WON,
  LOST
}
