package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/**
 * The state Raft must persist before answering anyone (Raft paper, Figure 2): the current term and
 * the candidate voted for in it, if any.
 */
public record HardState(long term, Optional<NodeId> votedFor) {

  /** The state of a node that has never run: term 0, no vote. */
  public static final HardState INITIAL = new HardState(0, Optional.empty());

  public HardState {
    if (term < 0) {
      throw new IllegalArgumentException("term must be >= 0, got " + term);
    }
    if (votedFor.isPresent() && term == 0) {
      throw new IllegalArgumentException("no vote can be cast in term 0");
    }
  }
}
