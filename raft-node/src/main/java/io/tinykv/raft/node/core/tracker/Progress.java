package io.tinykv.raft.node.core.tracker;

/**
 * The leader's view of one follower's log (Raft paper, Figure 2's nextIndex and matchIndex), plus
 * the flow control that decides whether another append may be sent now.
 *
 * <p>Invariant: {@code match < next}. Everything up to {@code match} is known to equal the leader's
 * log and be durable on the follower; {@code next} is the next index to send.
 */
public final class Progress {

  private long match;
  private long next;
  private ReplicationMode mode = ReplicationMode.PROBE;

  /** In probe mode: an append is outstanding, so no other is sent until something is heard. */
  private boolean probeSent;

  private final Inflights inflights;

  /** In snapshot mode: the index the snapshot being sent covers at least. */
  private long pendingSnapshot;

  /** The leader's logical time (in ticks) when it last heard from this member. */
  private long lastHeardTick;

  public Progress(long next, int maxInflight, long maxInflightBytes) {
    this.next = next;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
  }

  public long match() {
    return match;
  }

  public long next() {
    return next;
  }

  public ReplicationMode mode() {
    return mode;
  }

  public Inflights inflights() {
    return inflights;
  }

  public long lastHeardTick() {
    return lastHeardTick;
  }

  /** Records that the member was heard from at logical time {@code tick}. */
  public void heardAt(long tick) {
    this.lastHeardTick = Math.max(lastHeardTick, tick);
  }

  /**
   * Back to probing from just after the known match; after a snapshot transfer, from just after the
   * snapshot, which the follower now holds.
   */
  public void becomeProbe() {
    next = mode == ReplicationMode.SNAPSHOT ? Math.max(match, pendingSnapshot) + 1 : match + 1;
    mode = ReplicationMode.PROBE;
    pendingSnapshot = 0;
    probeSent = false;
    inflights.reset();
  }

  /** The follower needs the snapshot covering at least {@code snapshotIndex}; appends pause. */
  public void becomeSnapshot(long snapshotIndex) {
    mode = ReplicationMode.SNAPSHOT;
    pendingSnapshot = snapshotIndex;
    probeSent = false;
    inflights.reset();
  }

  /**
   * The runtime finished streaming a snapshot to this follower: on success replication probes from
   * just after the snapshot, on failure from the old match (which asks for a snapshot again).
   */
  public void onSnapshotReported(boolean success) {
    if (mode != ReplicationMode.SNAPSHOT) {
      return;
    }
    if (!success) {
      pendingSnapshot = 0;
    }
    becomeProbe();
  }

  /** In snapshot mode: the index the pending snapshot covers at least; else 0. */
  public long pendingSnapshot() {
    return pendingSnapshot;
  }

  /** The follower's position is known: start streaming from just after the match. */
  public void becomeReplicate() {
    mode = ReplicationMode.REPLICATE;
    next = match + 1;
    probeSent = false;
    inflights.reset();
  }

  /**
   * Records that the follower acknowledged everything up to {@code index}.
   *
   * @return true if the match moved forward (false for a stale or duplicate acknowledgement)
   */
  public boolean maybeUpdate(long index) {
    boolean updated = false;
    if (match < index) {
      match = index;
      updated = true;
      probeSent = false;
    }
    next = Math.max(next, index + 1);
    return updated;
  }

  /** Sets the match directly; used for the leader's own durable index. */
  public void setMatch(long index) {
    this.match = index;
    this.next = Math.max(next, index + 1);
  }

  /**
   * The follower rejected an append whose previous index was {@code rejected}, hinting that its log
   * may match up to {@code matchHint}; moves {@code next} back, skipping whole terms.
   *
   * @return false if the rejection is stale (about an append sent before a newer decision)
   */
  public boolean maybeDecrementTo(long rejected, long matchHint) {
    if (mode == ReplicationMode.SNAPSHOT) {
      return false; // the snapshot under way decides where replication resumes
    }
    if (mode == ReplicationMode.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** True if no append may be sent now: a probe is outstanding or the window is full. */
  public boolean isPaused() {
    return switch (mode) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.isFull();
      case SNAPSHOT -> true;
    };
  }

  /** Heard something from the follower: a probe may be sent again. */
  public void resumeProbe() {
    probeSent = false;
  }

  /**
   * Records an append just sent, carrying entries up to {@code lastIndex} ({@code count} of them,
   * {@code bytes} in size).
   */
  public void onAppendSent(int count, long lastIndex, long bytes) {
    if (mode == ReplicationMode.REPLICATE) {
      if (count > 0) {
        next = lastIndex + 1;
        inflights.add(lastIndex, bytes);
      }
    } else {
      probeSent = true;
    }
  }

  @Override
  public String toString() {
    return mode
        + "{match="
        + match
        + ", next="
        + next
        + ", inflight="
        + inflights.count()
        + (mode == ReplicationMode.SNAPSHOT ? ", snapshot=" + pendingSnapshot : "")
        + "}";
  }
}
