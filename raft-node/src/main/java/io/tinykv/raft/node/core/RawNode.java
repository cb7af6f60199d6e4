package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.LogReader;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.Optional;

/**
 * The whole Raft algorithm as a single-threaded, deterministic state machine: events go in ({@link
 * #tick()}, {@link #step}, {@link #propose}, {@link #readIndex}, {@link #onPersisted}, {@link
 * #onApplied}) and numbered {@link Ready} batches of effects come out. It never touches a thread, a
 * clock, a socket or a file, so the same code runs under the real runtime and the deterministic
 * simulator.
 *
 * <p>Threading: not thread-safe. One thread owns an instance and makes every call.
 */
public final class RawNode {

  private final Raft raft;

  /**
   * Restores a node from its durable state.
   *
   * @param config settings
   * @param membership the configuration in force (the latest one in the durable log, or the
   *     bootstrap one)
   * @param hardState the persisted term and vote
   * @param log the durable log, which the runtime keeps up to date by following the readies
   * @param appliedIndex the index the state machine has already applied (0 for a fresh one)
   * @param random the source for randomized election timeouts
   */
  public RawNode(
      RaftConfig config,
      Membership membership,
      HardState hardState,
      LogReader log,
      long appliedIndex,
      RandomSource random) {
    this.raft = new Raft(config, membership, hardState, log, appliedIndex, random);
  }

  /** Advances logical time by one tick: election and heartbeat timeouts count ticks. */
  public void tick() {
    raft.tick();
  }

  /** Feeds a message from a peer; messages not addressed to this node are rejected. */
  public void step(RaftMessage message) {
    if (!message.to().equals(raft.id())) {
      throw new IllegalArgumentException(
          "message for " + message.to() + " delivered to " + raft.id() + ": " + message);
    }
    raft.step(message);
  }

  /**
   * Offers a command. On the leader it is appended at once and its index returned, so that a caller
   * can wait for that index to be committed (the seed's two-phase SUBMIT/RESULT).
   *
   * @param payload the command; owned by the core afterwards
   * @param timestamp the proposer's wall-clock time, stored in the entry for information only
   */
  public ProposeResult propose(byte[] payload, long timestamp) {
    return raft.propose(payload, timestamp);
  }

  /**
   * Offers a change to the simple configuration {@code target}, for example the current one with a
   * learner added, a learner promoted, or a member removed. On the leader the change's first entry
   * is appended at once and its index returned: the joint configuration C_old,new if the voters
   * change (the leader appends C_new by itself once that commits), else the target directly. Only
   * one change runs at a time; another is rejected with {@link
   * RejectReason#MEMBERSHIP_CHANGE_IN_PROGRESS}. New learners are promoted to voters by the leader
   * once caught up, if {@link RaftConfig#autoPromoteLearners()}.
   *
   * @throws IllegalArgumentException if {@code target} is joint or equals the current configuration
   */
  public ProposeResult proposeMembership(Membership target, long timestamp) {
    return raft.proposeMembership(target, timestamp);
  }

  /**
   * Asks for a linearizable read. The answer comes back in a later {@link Ready} as a {@link
   * ReadState} (serve the read once applied up to its index) or a {@link ReadFailure}.
   */
  public void readIndex(long requestId) {
    raft.readIndex(requestId);
  }

  /**
   * Hands leadership to {@code target} (dissertation, section 3.10): the leader stops accepting
   * proposals, brings the target up to date and tells it to campaign. Gives up after an election
   * timeout.
   *
   * @return empty if the transfer started, else why not
   */
  public Optional<String> transferLeadership(NodeId target) {
    return raft.transferLeadership(target);
  }

  /** A leader steps down to follower in its term; others will elect a new leader. */
  public void stepDown() {
    raft.stepDown();
  }

  /**
   * Starts a real election now, skipping both the timeout and pre-vote, for example to bootstrap a
   * new cluster. Because pre-vote is skipped, a forced campaign raises this node's term even if it
   * cannot win; use it deliberately.
   */
  public void campaign() {
    raft.campaignNow();
  }

  /** True if {@link #ready()} would return a non-empty batch. */
  public boolean hasReady() {
    return raft.hasReady();
  }

  /** Collects the pending effects into the next numbered batch; see {@link Ready}. */
  public Ready ready() {
    return raft.ready();
  }

  /** The runtime made ready {@code readyNumber} and all earlier ones durable. */
  public void onPersisted(long readyNumber) {
    raft.onPersisted(readyNumber);
  }

  /** The state machine has applied every committed entry up to {@code index}. */
  public void onApplied(long index) {
    raft.onApplied(index);
  }

  /**
   * The state machine has a durable snapshot covering entries up to at least {@code upToIndex}: the
   * core stops reading them, and the next {@link Ready#compactIndex()} lets the runtime drop them
   * from the durable log.
   *
   * @throws IllegalArgumentException if {@code upToIndex} is beyond the applied index
   */
  public void compact(long upToIndex) {
    raft.compact(upToIndex);
  }

  /**
   * The runtime finished streaming a snapshot to {@code peer} (asked for by a {@link
   * SnapshotRequest}): on success replication resumes after it, on failure a new request follows.
   */
  public void reportSnapshot(NodeId peer, boolean success) {
    raft.reportSnapshot(peer, success);
  }

  /**
   * A follower received and verified a complete snapshot from {@code from}, the leader of {@code
   * term}. If the core accepts it, the next {@link Ready#snapshot()} carries it for installation;
   * otherwise (a stale leader, or a snapshot the log already covers) the runtime discards it.
   *
   * @return true if accepted
   */
  public boolean offerSnapshot(NodeId from, long term, SnapshotMeta meta) {
    return raft.offerSnapshot(from, term, meta);
  }

  public NodeId id() {
    return raft.id();
  }

  public Role role() {
    return raft.role();
  }

  public long term() {
    return raft.term();
  }

  public Optional<NodeId> leader() {
    return raft.leader();
  }

  public RaftStatus status() {
    return raft.status();
  }
}
