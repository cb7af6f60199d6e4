package io.tinykv.raft.node.core;

import io.tinykv.raft.node.core.quorum.VoteResult;
import io.tinykv.raft.node.core.tracker.Progress;
import io.tinykv.raft.node.core.tracker.ProgressTracker;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.LogReader;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The state every role shares, the term rules that apply to every message, and the explicit role
 * transitions. Role-specific behaviour lives in {@link FollowerRole}, {@link CandidateRole} and
 * {@link LeaderRole}; {@link RawNode} is the public face.
 */
final class Raft {

  private final RaftConfig config;
  private final NodeId id;
  private final RandomSource random;
  private final RaftLog log;
  private final ProgressTracker tracker;
  private final Configurations configs;
  private final Outbox outbox = new Outbox();

  /** Latest term seen; persisted before any message that depends on it leaves the node. */
  private long term;

  /** Candidate voted for in {@link #term}, or null; persisted like the term. */
  private NodeId votedFor;

  /** The leader of {@link #term} if known, else null. */
  private NodeId leader;

  private RoleBehaviour behaviour;

  /** Logical time: ticks since this core was created. */
  private long now;

  /** Ticks since the last election timeout reset (the leader uses it for check-quorum). */
  private int electionElapsed;

  /** Drawn from [electionTicks, 2 * electionTicks) on every reset. */
  private int randomizedElectionTimeout;

  /** Reads forwarded to the leader, by request id, with their age in ticks. */
  private final TreeMap<Long, Integer> forwardedReads = new TreeMap<>();

  private HardState lastReadyHardState;
  private SoftState lastReadySoftState;
  private long nextReadyNumber = 1;

  /** The last ready that carried a hard state change. */
  private long hardStateReadyNumber;

  /** The last ready the runtime reported durable. */
  private long persistedReadyNumber;

  Raft(
      RaftConfig config,
      Membership membership,
      HardState hardState,
      LogReader storage,
      long appliedIndex,
      RandomSource random) {
    this.config = config.validate();
    this.id = config.id();
    this.random = random;
    this.log = new RaftLog(storage, appliedIndex);
    this.configs = new Configurations(membership);
    // The configuration in force is the latest in the log, committed or not (dissertation 4.1).
    for (long i = log.firstIndex(); i <= log.lastIndex(); ) {
      List<LogEntry> chunk = log.entries(i, log.lastIndex() + 1, 4L << 20);
      configs.onAppended(chunk);
      i += chunk.size();
    }
    this.tracker =
        new ProgressTracker(
            configs.current(), config.maxInflightAppends(), config.maxBytesPerAppend() * 8);
    this.term = hardState.term();
    this.votedFor = hardState.votedFor().orElse(null);
    this.lastReadyHardState = hardState;
    this.behaviour = new FollowerRole(this);
    resetElectionTimer();
    this.lastReadySoftState = softState();
  }

  // ---- accessors for the roles ----

  NodeId id() {
    return id;
  }

  RaftConfig config() {
    return config;
  }

  long term() {
    return term;
  }

  RaftLog log() {
    return log;
  }

  ProgressTracker tracker() {
    return tracker;
  }

  Configurations configs() {
    return configs;
  }

  /**
   * Entries were appended to the log (by this leader, or by a follower from {@code firstIndex} on,
   * possibly replacing a conflicting suffix): the latest configuration among them takes effect at
   * once.
   */
  void onAppended(long firstIndex, List<LogEntry> entries) {
    configs.dropReplaced(firstIndex, log::termOrUnknown);
    configs.onAppended(entries);
    applyConfiguration();
  }

  private void applyConfiguration() {
    Membership current = configs.current();
    if (!current.equals(tracker.membership())) {
      tracker.setMembership(current, log.lastIndex() + 1, now);
    }
  }

  RoleBehaviour behaviour() {
    return behaviour;
  }

  Role role() {
    return behaviour.role();
  }

  Optional<NodeId> leader() {
    return Optional.ofNullable(leader);
  }

  int electionElapsed() {
    return electionElapsed;
  }

  void resetElectionElapsed() {
    electionElapsed = 0;
  }

  void incrementElectionElapsed() {
    electionElapsed++;
  }

  /** Can this node become leader? Only voters campaign. */
  boolean promotable() {
    return tracker.membership().isVoter(id);
  }

  // ---- output ----

  /**
   * Queues a message. Acknowledgements of log state and granted votes, and anything sent while the
   * current term or vote is not yet durable, go out only after the next ready is durable (Raft
   * paper, Figure 2: persist before responding).
   */
  void send(RaftMessage message) {
    boolean dependsOnDurableState =
        message instanceof AppendEntriesResponse
            || (message instanceof RequestVoteResponse r && !r.preVote() && r.granted())
            || !hardState().equals(lastReadyHardState)
            || hardStateReadyNumber > persistedReadyNumber;
    outbox.add(message, dependsOnDurableState);
  }

  void requestSnapshot(NodeId to) {
    outbox.snapshotRequests.add(new SnapshotRequest(to, term));
  }

  void addReadState(ReadState state) {
    outbox.readStates.add(state);
  }

  void addReadFailure(long requestId, RejectReason reason) {
    outbox.readFailures.add(new ReadFailure(requestId, reason, leader()));
  }

  // ---- inputs ----

  /** The logical time in ticks. */
  long now() {
    return now;
  }

  void tick() {
    now++;
    behaviour.tick();
    if (!forwardedReads.isEmpty()) {
      expireForwardedReads();
    }
  }

  /** Followers and candidates: campaign when the election timeout passes. */
  void tickElection() {
    electionElapsed++;
    if (promotable() && electionElapsed >= randomizedElectionTimeout) {
      electionElapsed = 0;
      campaign(config.preVote(), false);
    }
  }

  void step(RaftMessage m) {
    if (tracker.progress(m.from()) == null && !fromALeader(m)) {
      // Not a member of our configuration: a removed node must not disrupt us with elections,
      // and answers from it mean nothing. A leader we do not know of yet is heard, though (we
      // may be a new node, or replaying old configurations); terms keep that safe.
      return;
    }
    if (m.term() > term) {
      if (m instanceof RequestVote rv && !rv.leadershipTransfer() && inLease()) {
        // Dissertation 4.2.3: we heard from a live leader within the minimum election timeout,
        // so this candidate is disruptive (likely rejoining after a partition). Ignore it.
        return;
      }
      boolean preVoteRequest = m instanceof RequestVote rv && rv.preVote();
      boolean grantedPreVote = m instanceof RequestVoteResponse r && r.preVote() && r.granted();
      if (!preVoteRequest && !grantedPreVote) {
        boolean fromLeader = m instanceof AppendEntries || m instanceof Heartbeat;
        becomeFollower(m.term(), fromLeader ? m.from() : null);
      }
    } else if (m.term() < term) {
      if (m instanceof AppendEntries || m instanceof Heartbeat) {
        // A stale leader, possibly cut off while we moved on. Tell it our term so it steps
        // down (Raft paper, Figure 2: reply false if term < currentTerm). Without this, pre-vote
        // and check-quorum could keep it from ever learning it, and a node whose stale
        // configuration hides the leader from its vote requests could never catch up.
        send(new AppendEntriesResponse(id, m.from(), term, false, 0, 0, 0));
      } else if (m instanceof RequestVote rv && rv.preVote()) {
        send(new RequestVoteResponse(id, m.from(), term, true, false));
      }
      return;
    }
    if (m instanceof RequestVote rv) {
      handleVoteRequest(rv);
    } else {
      behaviour.step(m);
    }
  }

  private static boolean fromALeader(RaftMessage m) {
    return m instanceof AppendEntries
        || m instanceof Heartbeat
        || m instanceof ReadIndexResponse
        || m instanceof TimeoutNow;
  }

  /**
   * True while this node has heard from a live leader (or, as leader, from a quorum) within the
   * minimum election timeout. A leader counts too: with check-quorum it steps down by itself once
   * it loses its quorum, so a higher-term candidate it ignores is one a majority ignores as well.
   */
  private boolean inLease() {
    return config.checkQuorum() && leader != null && electionElapsed < config.electionTicks();
  }

  /** Raft paper, section 5.2 and 5.4.1; dissertation, section 9.6 for pre-votes. */
  private void handleVoteRequest(RequestVote m) {
    boolean canVote =
        m.from().equals(votedFor)
            || (votedFor == null && leader == null)
            || (m.preVote() && m.term() > term);
    if (canVote && log.isUpToDate(m.lastLogIndex(), m.lastLogTerm())) {
      // A granted pre-vote answers in the term asked about, so the pre-candidate counts it.
      send(new RequestVoteResponse(id, m.from(), m.term(), m.preVote(), true));
      if (!m.preVote()) {
        electionElapsed = 0;
        votedFor = m.from();
      }
    } else {
      send(new RequestVoteResponse(id, m.from(), term, m.preVote(), false));
    }
  }

  ProposeResult propose(byte[] payload, long timestamp) {
    if (behaviour instanceof LeaderRole leaderRole) {
      return leaderRole.propose(payload, timestamp);
    }
    return new ProposeResult.Rejected(RejectReason.NOT_LEADER, leader());
  }

  ProposeResult proposeMembership(Membership target, long timestamp) {
    if (behaviour instanceof LeaderRole leaderRole) {
      return leaderRole.proposeMembership(target, timestamp);
    }
    return new ProposeResult.Rejected(RejectReason.NOT_LEADER, leader());
  }

  void readIndex(long requestId) {
    if (behaviour instanceof LeaderRole leaderRole) {
      leaderRole.read(requestId, id);
    } else if (leader != null) {
      forwardedReads.put(requestId, 0);
      send(new ReadIndex(id, leader, term, requestId));
    } else {
      addReadFailure(requestId, RejectReason.NOT_LEADER);
    }
  }

  void onReadIndexResponse(ReadIndexResponse m) {
    if (forwardedReads.remove(m.requestId()) == null) {
      return; // already failed or answered
    }
    if (m.success()) {
      addReadState(new ReadState(m.requestId(), m.readIndex()));
    } else {
      addReadFailure(m.requestId(), RejectReason.LEADERSHIP_LOST);
    }
  }

  /** A forwarded read whose answer was lost must not wait forever: fail it for a retry. */
  private void expireForwardedReads() {
    int limit = 2 * config.electionTicks();
    var it = forwardedReads.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Integer> e = it.next();
      if (e.getValue() + 1 >= limit) {
        it.remove();
        addReadFailure(e.getKey(), RejectReason.LEADERSHIP_LOST);
      } else {
        e.setValue(e.getValue() + 1);
      }
    }
  }

  private void failForwardedReads() {
    for (Long requestId : forwardedReads.keySet()) {
      addReadFailure(requestId, RejectReason.LEADERSHIP_LOST);
    }
    forwardedReads.clear();
  }

  Optional<String> transferLeadership(NodeId target) {
    if (behaviour instanceof LeaderRole leaderRole) {
      return leaderRole.transferTo(target);
    }
    return Optional.of("not the leader" + leader().map(l -> "; the leader is " + l).orElse(""));
  }

  void stepDown() {
    if (behaviour.role() == Role.LEADER) {
      becomeFollower(term, null);
    }
  }

  void campaignNow() {
    if (behaviour.role() != Role.LEADER && promotable()) {
      campaign(false, false);
    }
  }

  void campaignForTransfer(NodeId from) {
    if (promotable() && from.equals(leader)) {
      campaign(false, true);
    }
  }

  /** Called for every message from the current leader: it is alive, and it is the leader. */
  void heardFromLeader(NodeId from) {
    electionElapsed = 0;
    setLeader(from);
  }

  private void setLeader(NodeId newLeader) {
    if (newLeader == null ? leader != null : !newLeader.equals(leader)) {
      failForwardedReads();
    }
    leader = newLeader;
  }

  void onPersisted(long readyNumber) {
    if (readyNumber >= nextReadyNumber) {
      throw new IllegalArgumentException(
          "ready " + readyNumber + " acknowledged before it was handed out");
    }
    persistedReadyNumber = Math.max(persistedReadyNumber, readyNumber);
    if (log.stableTo(readyNumber)) {
      behaviour.onPersisted();
    }
  }

  void onApplied(long index) {
    log.appliedTo(index);
  }

  void compact(long upToIndex) {
    log.compact(upToIndex);
    configs.compact(log.firstIndex() - 1);
  }

  void reportSnapshot(NodeId peer, boolean success) {
    if (behaviour instanceof LeaderRole leaderRole) {
      leaderRole.onSnapshotReported(peer, success);
    }
  }

  /**
   * A complete, verified snapshot arrived from {@code from}, the leader of {@code leaderTerm} (Raft
   * paper, Figure 13, receiver steps 1, 6 and 7).
   *
   * @return true if the node accepted it: the next ready carries it for installation
   */
  boolean offerSnapshot(NodeId from, long leaderTerm, SnapshotMeta meta) {
    if (leaderTerm < term) {
      return false; // a stale leader's; it learns our term from our next answer to it
    }
    if (leaderTerm > term || behaviour.role() != Role.FOLLOWER) {
      becomeFollower(leaderTerm, from);
    }
    heardFromLeader(from);
    if (meta.lastIndex() <= log.committed()) {
      send(AppendEntriesResponse.accept(id, from, term, log.committed()));
      return false;
    }
    if (log.matchTerm(meta.lastIndex(), meta.lastTerm())) {
      // Our log already holds the snapshot's last entry, so by Log Matching all before it too.
      log.commitTo(meta.lastIndex());
      send(AppendEntriesResponse.accept(id, from, term, meta.lastIndex()));
      return false;
    }
    log.restore(meta);
    onSnapshotRestored(meta);
    // Classified as depending on durable state: it leaves once the snapshot is installed.
    send(AppendEntriesResponse.accept(id, from, term, meta.lastIndex()));
    return true;
  }

  /** The configuration in force is now the snapshot's. */
  private void onSnapshotRestored(SnapshotMeta meta) {
    configs.restore(meta.membership());
    applyConfiguration();
  }

  // ---- elections and transitions ----

  private void campaign(boolean preVote, boolean transfer) {
    long voteTerm;
    if (preVote) {
      becomePreCandidate();
      voteTerm = term + 1;
    } else {
      becomeCandidate();
      voteTerm = term;
    }
    tracker.recordVote(id, true);
    if (checkElectionResult(preVote)) {
      return;
    }
    for (NodeId voter : tracker.allProgress().keySet()) {
      if (!voter.equals(id) && tracker.membership().isVoter(voter)) {
        send(
            new RequestVote(
                id, voter, voteTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
      }
    }
  }

  /**
   * Acts on the election's outcome so far.
   *
   * @return true if the election is decided
   */
  boolean checkElectionResult(boolean preVote) {
    VoteResult result = tracker.tallyVotes();
    if (result == VoteResult.WON) {
      if (preVote) {
        campaign(false, false);
      } else {
        becomeLeader();
      }
      return true;
    }
    if (result == VoteResult.LOST) {
      becomeFollower(term, null);
      return true;
    }
    return false;
  }

  void becomeFollower(long newTerm, NodeId newLeader) {
    reset(newTerm);
    setLeader(newLeader);
    switchTo(new FollowerRole(this));
  }

  private void becomePreCandidate() {
    requireNotLeader("pre-candidate");
    // Pre-vote changes neither term nor vote: a pre-candidate that loses leaves no trace.
    tracker.resetVotes();
    setLeader(null);
    electionElapsed = 0;
    resetElectionTimer();
    switchTo(new CandidateRole(this, true));
  }

  private void becomeCandidate() {
    requireNotLeader("candidate");
    reset(term + 1);
    votedFor = id;
    setLeader(null);
    switchTo(new CandidateRole(this, false));
  }

  private void becomeLeader() {
    if (behaviour.role() != Role.CANDIDATE) {
      throw new IllegalStateException(
          id + ": only a candidate can become leader, not a " + behaviour.role());
    }
    reset(term);
    setLeader(id);
    LeaderRole leaderRole = new LeaderRole(this);
    switchTo(leaderRole);
    leaderRole.start();
  }

  private void requireNotLeader(String target) {
    if (behaviour.role() == Role.LEADER) {
      throw new IllegalStateException(id + ": a leader cannot become a " + target);
    }
  }

  private void switchTo(RoleBehaviour next) {
    behaviour.onExit();
    behaviour = next;
  }

  /** Shared by every transition: a new term forgets the vote; timers and votes start over. */
  private void reset(long newTerm) {
    if (newTerm != term) {
      term = newTerm;
      votedFor = null;
    }
    electionElapsed = 0;
    resetElectionTimer();
    tracker.resetVotes();
    tracker.resetProgress(log.lastIndex() + 1);
  }

  private void resetElectionTimer() {
    randomizedElectionTimeout = config.electionTicks() + random.nextInt(config.electionTicks());
  }

  // ---- readies ----

  private HardState hardState() {
    return new HardState(term, Optional.ofNullable(votedFor));
  }

  private SoftState softState() {
    return new SoftState(behaviour.role(), leader(), term);
  }

  boolean hasReady() {
    return behaviour.hasPendingFlush()
        || outbox.hasAny()
        || log.hasUnemitted()
        || log.hasEntriesToApply()
        || log.hasUnemittedSnapshot()
        || log.hasUnemittedCompaction()
        || !hardState().equals(lastReadyHardState)
        || !softState().equals(lastReadySoftState);
  }

  Ready ready() {
    behaviour.flush();
    long number = nextReadyNumber++;
    HardState hard = hardState();
    SoftState soft = softState();
    Optional<HardState> hardChange =
        hard.equals(lastReadyHardState) ? Optional.empty() : Optional.of(hard);
    Optional<SoftState> softChange =
        soft.equals(lastReadySoftState) ? Optional.empty() : Optional.of(soft);
    if (hardChange.isPresent()) {
      hardStateReadyNumber = number;
    }
    lastReadyHardState = hard;
    lastReadySoftState = soft;
    Ready ready =
        new Ready(
            number,
            softChange,
            hardChange,
            log.emitUnstable(number),
            outbox.immediate,
            outbox.afterPersist,
            log.takeEntriesToApply(config.maxCommittedBytesPerReady()),
            outbox.readStates,
            outbox.readFailures,
            log.emitSnapshot(number),
            outbox.snapshotRequests,
            log.emitCompaction());
    outbox.clear();
    return ready;
  }

  RaftStatus status() {
    Map<NodeId, PeerProgress> progress = new TreeMap<>();
    if (behaviour.role() == Role.LEADER) {
      tracker
          .allProgress()
          .forEach(
              (peer, p) ->
                  progress.put(
                      peer,
                      new PeerProgress(
                          p.match(),
                          p.next(),
                          p.mode().name(),
                          p.inflights().count(),
                          now - p.lastHeardTick())));
    }
    return new RaftStatus(
        id,
        behaviour.role(),
        term,
        leader(),
        Optional.ofNullable(votedFor),
        log.committed(),
        log.applied(),
        log.firstIndex(),
        log.lastIndex(),
        log.persistedIndex(),
        tracker.membership(),
        configs.currentIndex(),
        progress);
  }

  /** Messages and read results collected since the last ready. */
  private static final class Outbox {
    List<RaftMessage> immediate = new ArrayList<>();
    List<RaftMessage> afterPersist = new ArrayList<>();
    List<ReadState> readStates = new ArrayList<>();
    List<ReadFailure> readFailures = new ArrayList<>();
    List<SnapshotRequest> snapshotRequests = new ArrayList<>();

    void add(RaftMessage message, boolean afterPersisting) {
      (afterPersisting ? afterPersist : immediate).add(message);
    }

    boolean hasAny() {
      return !immediate.isEmpty()
          || !afterPersist.isEmpty()
          || !readStates.isEmpty()
          || !readFailures.isEmpty()
          || !snapshotRequests.isEmpty();
    }

    /** Starts fresh lists; the old ones now belong to the ready. */
    void clear() {
      immediate = new ArrayList<>();
      afterPersist = new ArrayList<>();
      readStates = new ArrayList<>();
      readFailures = new ArrayList<>();
      snapshotRequests = new ArrayList<>();
    }
  }

  /**
   * For the leader's progress of this node, which tracks local durability, not messages; null while
   * a configuration that no longer includes this leader is being committed.
   */
  Progress selfProgress() {
    return tracker.progress(id);
  }
}
