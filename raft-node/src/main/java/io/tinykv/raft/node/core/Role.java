package io.tinykv.raft.node.core;

/** The role a node plays in its current term. */
public enum Role {
  FOLLOWER,
  /** Asking for pre-votes before disturbing anyone's term (dissertation, section 9.6). */
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
