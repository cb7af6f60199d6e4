package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;

/**
 * The consensus core's settings, in logical ticks and counts. Build one with {@link
 * #builder(NodeId)}; {@link #validate()} runs on construction, so an instance is always valid.
 *
 * @param id this node
 * @param electionTicks the minimum election timeout; each timeout is drawn uniformly from {@code
 *     [electionTicks, 2 * electionTicks)} (the seed's 150-300 ms at a 10 ms tick)
 * @param heartbeatTicks how often a leader sends heartbeats; below {@code electionTicks}
 * @param maxEntriesPerAppend most entries in one AppendEntries (the seed's 1000)
 * @param maxBytesPerAppend most payload bytes in one AppendEntries (one oversized entry still goes
 *     alone)
 * @param maxInflightAppends appends a leader sends to one follower before hearing back
 * @param maxCommittedBytesPerReady bounds the committed entries handed out in one {@link Ready}
 * @param preVote ask for pre-votes before campaigning (safe default: on)
 * @param checkQuorum a leader steps down when it has not heard from a majority within an election
 *     timeout, and followers that hear a live leader ignore vote requests (default: on)
 * @param autoPromoteLearners the leader makes a learner a voter once it has caught up (default: on)
 * @param learnerCatchUpEntries a learner counts as caught up when its log is at most this many
 *     entries behind the leader's and it was heard from within an election timeout
 */
public record RaftConfig(
    NodeId id,
    int electionTicks,
    int heartbeatTicks,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflightAppends,
    long maxCommittedBytesPerReady,
    boolean preVote,
    boolean checkQuorum,
    boolean autoPromoteLearners,
    long learnerCatchUpEntries) {

  public RaftConfig {
    Objects.requireNonNull(id, "id");
    validate(
        electionTicks,
        heartbeatTicks,
        maxEntriesPerAppend,
        maxBytesPerAppend,
        maxInflightAppends,
        maxCommittedBytesPerReady);
    if (learnerCatchUpEntries < 0) {
      throw new IllegalArgumentException(
          "learnerCatchUpEntries must be >= 0, got " + learnerCatchUpEntries);
    }
  }

  /** Returns this config after checking it again; construction already validated it. */
  public RaftConfig validate() {
    validate(
        electionTicks,
        heartbeatTicks,
        maxEntriesPerAppend,
        maxBytesPerAppend,
        maxInflightAppends,
        maxCommittedBytesPerReady);
    return this;
  }

  private static void validate(
      int electionTicks,
      int heartbeatTicks,
      int maxEntriesPerAppend,
      long maxBytesPerAppend,
      int maxInflightAppends,
      long maxCommittedBytesPerReady) {
    if (heartbeatTicks < 1) {
      throw new IllegalArgumentException("heartbeatTicks must be >= 1, got " + heartbeatTicks);
    }
    if (electionTicks <= heartbeatTicks) {
      throw new IllegalArgumentException(
          "electionTicks ("
              + electionTicks
              + ") must exceed heartbeatTicks ("
              + heartbeatTicks
              + "), or followers time out between heartbeats");
    }
    if (maxEntriesPerAppend < 1) {
      throw new IllegalArgumentException(
          "maxEntriesPerAppend must be >= 1, got " + maxEntriesPerAppend);
    }
    if (maxBytesPerAppend < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerAppend must be >= 1, got " + maxBytesPerAppend);
    }
    if (maxInflightAppends < 1) {
      throw new IllegalArgumentException(
          "maxInflightAppends must be >= 1, got " + maxInflightAppends);
    }
    if (maxCommittedBytesPerReady < 1) {
      throw new IllegalArgumentException(
          "maxCommittedBytesPerReady must be >= 1, got " + maxCommittedBytesPerReady);
    }
  }

  public static Builder builder(NodeId id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    return new Builder(id)
        .electionTicks(electionTicks)
        .heartbeatTicks(heartbeatTicks)
        .maxEntriesPerAppend(maxEntriesPerAppend)
        .maxBytesPerAppend(maxBytesPerAppend)
        .maxInflightAppends(maxInflightAppends)
        .maxCommittedBytesPerReady(maxCommittedBytesPerReady)
        .preVote(preVote)
        .checkQuorum(checkQuorum)
        .autoPromoteLearners(autoPromoteLearners)
        .learnerCatchUpEntries(learnerCatchUpEntries);
  }

  /** Collects settings; starts from the safe defaults. */
  public static final class Builder {
    private final NodeId id;
    private int electionTicks = 15;
    private int heartbeatTicks = 3;
    private int maxEntriesPerAppend = 1000;
    private long maxBytesPerAppend = 1L << 20;
    private int maxInflightAppends = 256;
    private long maxCommittedBytesPerReady = 4L << 20;
    private boolean preVote = true;
    private boolean checkQuorum = true;
    private boolean autoPromoteLearners = true;
    private long learnerCatchUpEntries = 1000;

    private Builder(NodeId id) {
      this.id = id;
    }

    public Builder electionTicks(int value) {
      this.electionTicks = value;
      return this;
    }

    public Builder heartbeatTicks(int value) {
      this.heartbeatTicks = value;
      return this;
    }

    public Builder maxEntriesPerAppend(int value) {
      this.maxEntriesPerAppend = value;
      return this;
    }

    public Builder maxBytesPerAppend(long value) {
      this.maxBytesPerAppend = value;
      return this;
    }

    public Builder maxInflightAppends(int value) {
      this.maxInflightAppends = value;
      return this;
    }

    public Builder maxCommittedBytesPerReady(long value) {
      this.maxCommittedBytesPerReady = value;
      return this;
    }

    public Builder preVote(boolean value) {
      this.preVote = value;
      return this;
    }

    public Builder checkQuorum(boolean value) {
      this.checkQuorum = value;
      return this;
    }

    public Builder autoPromoteLearners(boolean value) {
      this.autoPromoteLearners = value;
      return this;
    }

    public Builder learnerCatchUpEntries(long value) {
      this.learnerCatchUpEntries = value;
      return this;
    }

    public RaftConfig build() {
      return new RaftConfig(
          id,
          electionTicks,
          heartbeatTicks,
          maxEntriesPerAppend,
          maxBytesPerAppend,
          maxInflightAppends,
          maxCommittedBytesPerReady,
          preVote,
          checkQuorum,
          autoPromoteLearners,
          learnerCatchUpEntries);
    }
  }
}
