package io.tinykv.raft.node.core.quorum;

import io.tinykv.raft.protocol.NodeId;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Majority quorum math over one set of voters (Raft paper, section 5.2 and 5.3). An empty set is
 * allowed and agrees to everything, so that a joint configuration whose outgoing half is empty
 * behaves like its incoming half alone.
 */
public final class MajorityConfig {

  private final NodeId[] voters;

  public MajorityConfig(Set<NodeId> voters) {
    this.voters = voters.stream().sorted().toArray(NodeId[]::new);
  }

  public int size() {
    return voters.length;
  }

  /**
   * The largest index that a majority of voters has acknowledged, given each voter's acknowledged
   * index; {@code Long.MAX_VALUE} for an empty configuration.
   */
  public long committedIndex(ToLongFunction<NodeId> acked) {
    int n = voters.length;
    if (n == 0) {
      return Long.MAX_VALUE;
    }
    long[] indexes = new long[n];
    for (int i = 0; i < n; i++) {
      indexes[i] = acked.applyAsLong(voters[i]);
    }
    Arrays.sort(indexes);
    // With the acknowledged indexes sorted ascending, the one at position n - (n/2 + 1) is held
    // by at least n/2 + 1 voters: every voter at that position or after it.
    return indexes[n - (n / 2 + 1)];
  }

  /**
   * The election outcome given the votes received so far ({@code true} granted, {@code false}
   * rejected, absent not yet answered); an empty configuration always wins.
   */
  public VoteResult voteResult(Map<NodeId, Boolean> votes) {
    int n = voters.length;
    if (n == 0) {
      return VoteResult.WON;
    }
    int granted = 0;
    int missing = 0;
    for (NodeId voter : voters) {
      Boolean vote = votes.get(voter);
      if (vote == null) {
        missing++;
      } else if (vote) {
        granted++;
      }
    }
    int quorum = n / 2 + 1;
    if (granted >= quorum) {
      return VoteResult.WON;
    }
    if (granted + missing >= quorum) {
      return VoteResult.PENDING;
    }
    return VoteResult.LOST;
  }
}
