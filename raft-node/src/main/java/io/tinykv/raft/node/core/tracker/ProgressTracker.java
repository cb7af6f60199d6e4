package io.tinykv.raft.node.core.tracker;

import io.tinykv.raft.node.core.quorum.JointConfig;
import io.tinykv.raft.node.core.quorum.VoteResult;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The configuration in force, each member's replication {@link Progress} (kept by the leader) and
 * the votes of the current election. Iteration is in node id order, so decisions never depend on
 * hash order.
 */
public final class ProgressTracker {

  private final int maxInflight;
  private final long maxInflightBytes;
  private Membership membership;
  private JointConfig quorum;
  private final TreeMap<NodeId, Progress> progress = new TreeMap<>();
  private final TreeMap<NodeId, Boolean> votes = new TreeMap<>();

  public ProgressTracker(Membership membership, int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    setMembership(membership);
  }

  public Membership membership() {
    return membership;
  }

  /** Switches to a new configuration; progress of members that stay is kept. */
  public void setMembership(Membership newMembership) {
    setMembership(newMembership, 1, 0);
  }

  /**
   * Switches to a new configuration; progress of members that stay is kept, and a new member starts
   * probing at {@code nextIndex}, counted as heard from at logical time {@code now} (so that a
   * member just added does not count as lost before it had a chance to answer).
   */
  public void setMembership(Membership newMembership, long nextIndex, long now) {
    this.membership = newMembership;
    this.quorum = new JointConfig(newMembership);
    progress.keySet().retainAll(newMembership.allMembers());
    for (NodeId id : newMembership.allMembers()) {
      progress.computeIfAbsent(
          id,
          k -> {
            Progress p = new Progress(nextIndex, maxInflight, maxInflightBytes);
            p.heardAt(now);
            return p;
          });
    }
  }

  /** Forgets all replication state; every member starts probing at {@code nextIndex}. */
  public void resetProgress(long nextIndex) {
    progress.replaceAll((id, p) -> new Progress(nextIndex, maxInflight, maxInflightBytes));
  }

  /** The progress of a member, or null if the node is not a member. */
  public Progress progress(NodeId id) {
    return progress.get(id);
  }

  /** Every member's progress in id order (read-only view). */
  public SortedMap<NodeId, Progress> allProgress() {
    return Collections.unmodifiableSortedMap(progress);
  }

  /** The largest index durable on a quorum of voters, from their match indexes. */
  public long committedIndex() {
    return quorum.committedIndex(
        id -> {
          Progress p = progress.get(id);
          return p == null ? 0 : p.match();
        });
  }

  /** The largest value a quorum has reached, for any per-voter counter (such as read acks). */
  public long quorumMinimum(ToLongFunction<NodeId> valueOf) {
    return quorum.committedIndex(valueOf);
  }

  /**
   * True if a quorum of voters was heard from at or after logical time {@code sinceTick} (the
   * leader itself always counts).
   */
  public boolean quorumHeardSince(NodeId self, long sinceTick) {
    TreeMap<NodeId, Boolean> active = new TreeMap<>();
    progress.forEach((id, p) -> active.put(id, id.equals(self) || p.lastHeardTick() >= sinceTick));
    return quorum.voteResult(active) == VoteResult.WON;
  }

  public void resetVotes() {
    votes.clear();
  }

  /** Records a vote; the first answer from each voter counts. */
  public void recordVote(NodeId voter, boolean granted) {
    votes.putIfAbsent(voter, granted);
  }

  public VoteResult tallyVotes() {
    return quorum.voteResult(votes);
  }

  /** Votes received so far, in id order. */
  public Map<NodeId, Boolean> votes() {
    return Collections.unmodifiableMap(votes);
  }
}
