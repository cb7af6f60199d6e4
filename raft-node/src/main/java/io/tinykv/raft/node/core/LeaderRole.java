package io.tinykv.raft.node.core;

import io.tinykv.raft.node.core.ReadIndexQueue.PendingRead;
import io.tinykv.raft.node.core.tracker.Progress;
import io.tinykv.raft.node.core.tracker.ReplicationMode;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The leader: accepts proposals, replicates with per-follower flow control, advances the commit
 * index, confirms linearizable reads, hands over leadership, and steps down when it loses its
 * quorum.
 *
 * <p>Appends are not sent per proposal: proposals and acknowledgements only mark followers as
 * needing an append, and {@link #flush()} sends once per ready, so a burst of proposals becomes one
 * AppendEntries per follower (group commit on the wire).
 */
final class LeaderRole implements RoleBehaviour {

  private final Raft raft;
  private final RaftLog log;
  private final ReadIndexQueue reads = new ReadIndexQueue();

  /** Reads that arrived before this leader committed an entry of its term (section 6.4 step 1). */
  private final List<PendingRead> readsWaitingForCommit = new ArrayList<>();

  /** Followers that may have entries to send at the next flush. */
  private final TreeSet<NodeId> needsAppend = new TreeSet<>();

  private boolean commitAdvanced;
  private boolean readHeartbeatPending;
  private int heartbeatElapsed;

  /** The target of a leadership transfer in progress, or null. */
  private NodeId transferee;

  LeaderRole(Raft raft) {
    this.raft = raft;
    this.log = raft.log();
  }

  @Override
  public Role role() {
    return Role.LEADER;
  }

  /** The index of this leader's first entry, its no-op. */
  private long startIndex;

  /** Raft paper, section 5.4.2 and dissertation 6.4: a new leader appends a no-op at once. */
  void start() {
    raft.selfProgress().setMatch(log.persistedIndex());
    // A majority just voted for us: start the check-quorum clock for everyone from now.
    raft.tracker().allProgress().values().forEach(p -> p.heardAt(raft.now()));
    startIndex = log.lastIndex() + 1;
    log.append(LogEntry.noOp(startIndex, raft.term(), 0));
    markAllFollowersForAppend();
  }

  ProposeResult propose(byte[] payload, long timestamp) {
    if (transferee != null) {
      return new ProposeResult.Rejected(
          RejectReason.LEADERSHIP_TRANSFER_IN_PROGRESS, Optional.of(transferee));
    }
    if (!quorumHeardRecently()) {
      return new ProposeResult.Rejected(RejectReason.NO_QUORUM, Optional.empty());
    }
    long index = log.lastIndex() + 1;
    log.append(LogEntry.command(index, raft.term(), timestamp, payload));
    markAllFollowersForAppend();
    return new ProposeResult.Accepted(index, raft.term());
  }

  /**
   * Starts a change to the simple configuration {@code target} (Raft paper, section 6): if the
   * voters change, through the joint configuration C_old,new, which this leader leaves by itself
   * (appending C_new) once it commits; a change of learners or addresses alone takes effect
   * directly. One change at a time.
   */
  ProposeResult proposeMembership(Membership target, long timestamp) {
    if (target.isJoint()) {
      throw new IllegalArgumentException("the target of a change must be a simple configuration");
    }
    if (transferee != null) {
      return new ProposeResult.Rejected(
          RejectReason.LEADERSHIP_TRANSFER_IN_PROGRESS, Optional.of(transferee));
    }
    if (!quorumHeardRecently()) {
      return new ProposeResult.Rejected(RejectReason.NO_QUORUM, Optional.empty());
    }
    if (changeInProgress()) {
      return new ProposeResult.Rejected(
          RejectReason.MEMBERSHIP_CHANGE_IN_PROGRESS, Optional.of(raft.id()));
    }
    Membership current = raft.configs().current();
    if (target.equals(current)) {
      throw new IllegalArgumentException("the configuration already is " + target);
    }
    Membership next = target.voters().equals(current.voters()) ? target : current.jointWith(target);
    long index = appendConfiguration(next, timestamp);
    return new ProposeResult.Accepted(index, raft.term());
  }

  /**
   * True while a configuration entry is not yet committed, or a joint configuration not yet left;
   * also until this leader has committed its first entry, since before that it may not know the
   * latest committed configuration (the single-server-change bug, raft-dev 2015).
   */
  private boolean changeInProgress() {
    return raft.configs().currentIndex() > log.committed()
        || raft.configs().current().isJoint()
        || log.committed() < startIndex;
  }

  private long appendConfiguration(Membership membership, long timestamp) {
    long index = log.lastIndex() + 1;
    LogEntry entry =
        new LogEntry(
            index,
            raft.term(),
            EntryType.CONFIGURATION,
            timestamp,
            MembershipCodec.encodeEntry(membership));
    log.append(entry);
    raft.onAppended(index, List.of(entry));
    markAllFollowersForAppend();
    return index;
  }

  /**
   * After a commit: leaves a committed joint configuration, and steps down once a configuration
   * without this node as a voter is committed, handing leadership to the most up-to-date voter.
   *
   * @return true if this node stepped down
   */
  private boolean advanceConfiguration() {
    Configurations configs = raft.configs();
    if (configs.currentIndex() > log.committed()) {
      return false; // the latest configuration is not committed yet
    }
    Membership current = configs.current();
    if (current.isJoint()) {
      appendConfiguration(current.leaveJoint(), 0);
      return false;
    }
    if (!current.isVoter(raft.id())) {
      handOverAndStepDown(current);
      return true;
    }
    return false;
  }

  private void handOverAndStepDown(Membership current) {
    NodeId best = null;
    long bestMatch = -1;
    for (NodeId voter : current.voters()) {
      Progress pr = raft.tracker().progress(voter);
      if (pr != null && pr.match() > bestMatch) {
        best = voter;
        bestMatch = pr.match();
      }
    }
    if (best != null && bestMatch == log.lastIndex()) {
      raft.send(new TimeoutNow(raft.id(), best, raft.term()));
    }
    raft.becomeFollower(raft.term(), null);
  }

  /** Proposes making a caught-up learner a voter (one change at a time, so at most one). */
  private void maybePromoteLearner() {
    if (!raft.config().autoPromoteLearners() || changeInProgress()) {
      return;
    }
    Membership current = raft.configs().current();
    for (NodeId learner : current.learners()) {
      Progress pr = raft.tracker().progress(learner);
      // match > 0 only once the learner has acknowledged entries (or a snapshot): one that never
      // answered is not promoted, however short the log.
      boolean caughtUp =
          pr.match() > 0
              && pr.match() + raft.config().learnerCatchUpEntries() >= log.lastIndex()
              && pr.lastHeardTick() >= raft.now() - raft.config().electionTicks();
      if (caughtUp) {
        appendConfiguration(current.jointWith(current.withLearnerPromoted(learner)), 0);
        return;
      }
    }
  }

  // ---- ticks ----

  @Override
  public void tick() {
    heartbeatElapsed++;
    raft.incrementElectionElapsed();
    if (raft.electionElapsed() >= raft.config().electionTicks()) {
      raft.resetElectionElapsed();
      if (!quorumHeardRecently()) {
        // The seed's stop_accepting_writes: without a reachable majority nothing can commit,
        // and a newer leader may exist. Step down so clients go elsewhere.
        raft.becomeFollower(raft.term(), null);
        return;
      }
      transferee = null; // a transfer that did not finish within an election timeout is aborted
    }
    if (heartbeatElapsed >= raft.config().heartbeatTicks()) {
      heartbeatElapsed = 0;
      broadcastHeartbeat();
      maybePromoteLearner();
    }
  }

  /**
   * With check-quorum on: has a majority been heard from within the last election timeout? Always
   * true with check-quorum off.
   */
  private boolean quorumHeardRecently() {
    return !raft.config().checkQuorum()
        || raft.tracker().quorumHeardSince(raft.id(), raft.now() - raft.config().electionTicks());
  }

  private void broadcastHeartbeat() {
    long context = reads.contextToConfirm();
    for (var e : raft.tracker().allProgress().entrySet()) {
      NodeId peer = e.getKey();
      if (!peer.equals(raft.id())) {
        long commit = Math.min(e.getValue().match(), log.committed());
        raft.send(new Heartbeat(raft.id(), peer, raft.term(), commit, context));
      }
    }
    readHeartbeatPending = false;
  }

  // ---- messages ----

  @Override
  public void step(RaftMessage message) {
    if (message instanceof AppendEntriesResponse m) {
      handleAppendResponse(m);
    } else if (message instanceof HeartbeatResponse m) {
      handleHeartbeatResponse(m);
    } else if (message instanceof ReadIndex m) {
      read(m.requestId(), m.from());
    }
    // Vote responses from an election already won need no action.
  }

  private void handleAppendResponse(AppendEntriesResponse m) {
    Progress pr = raft.tracker().progress(m.from());
    pr.heardAt(raft.now());
    if (!m.success()) {
      long nextProbe = m.hintIndex();
      if (m.hintTerm() > 0) {
        // Skip every entry of ours from terms the follower cannot have (fast back-up).
        nextProbe = log.findConflictByTerm(m.hintIndex(), m.hintTerm());
      }
      if (pr.maybeDecrementTo(m.index(), nextProbe)) {
        if (pr.mode() == ReplicationMode.REPLICATE) {
          pr.becomeProbe();
        }
        needsAppend.add(m.from());
      }
      return;
    }
    if (!pr.maybeUpdate(m.index())) {
      return;
    }
    if (pr.mode() == ReplicationMode.PROBE
        || (pr.mode() == ReplicationMode.SNAPSHOT && pr.match() >= pr.pendingSnapshot())) {
      pr.becomeReplicate();
    } else if (pr.mode() == ReplicationMode.REPLICATE) {
      pr.inflights().freeLe(m.index());
    }
    maybeCommit();
    if (m.from().equals(transferee) && pr.match() == log.lastIndex()) {
      raft.send(new TimeoutNow(raft.id(), transferee, raft.term()));
    }
    needsAppend.add(m.from());
  }

  private void handleHeartbeatResponse(HeartbeatResponse m) {
    Progress pr = raft.tracker().progress(m.from());
    pr.heardAt(raft.now());
    pr.resumeProbe();
    if (pr.mode() == ReplicationMode.REPLICATE && pr.inflights().isFull()) {
      // An append or its answer may be lost; let one more through so the window cannot stall.
      pr.inflights().freeFirst();
    }
    if (pr.match() < log.lastIndex()) {
      // Sent even if empty: a lost tail is then detected by the follower's rejection.
      sendAppend(m.from(), true);
    }
    if (m.readContext() > 0) {
      reads.recordAck(m.from(), m.readContext());
      releaseConfirmedReads();
    }
  }

  @Override
  public void onPersisted() {
    Progress self = raft.selfProgress();
    if (self != null) {
      self.setMatch(log.persistedIndex());
    }
    maybeCommit();
  }

  /** Raft paper, section 5.4.2: only entries of the current term are committed by counting. */
  private void maybeCommit() {
    long index = raft.tracker().committedIndex();
    if (index <= log.committed() || log.termOrUnknown(index) != raft.term()) {
      return;
    }
    log.commitTo(index);
    commitAdvanced = true;
    if (advanceConfiguration()) {
      return; // stepped down: the reads waiting here fail with the leadership
    }
    if (!readsWaitingForCommit.isEmpty()) {
      for (PendingRead r : readsWaitingForCommit) {
        queueRead(r.requestId(), r.requester());
      }
      readsWaitingForCommit.clear();
    }
  }

  // ---- replication ----

  private void markAllFollowersForAppend() {
    for (NodeId peer : raft.tracker().allProgress().keySet()) {
      if (!peer.equals(raft.id())) {
        needsAppend.add(peer);
      }
    }
  }

  /**
   * Sends the next append to {@code to} if flow control allows.
   *
   * @return true if a message was sent
   */
  private boolean sendAppend(NodeId to, boolean sendIfEmpty) {
    Progress pr = raft.tracker().progress(to);
    if (pr == null || pr.isPaused()) {
      return false; // removed from the configuration since it was marked, or flow control
    }
    long prevIndex = pr.next() - 1;
    long prevTerm = log.termOrUnknown(prevIndex);
    if (prevIndex < log.firstIndex() - 1 || prevTerm == RaftLog.UNKNOWN) {
      // The entries this follower needs are compacted: it catches up from a snapshot.
      pr.becomeSnapshot(log.firstIndex() - 1);
      raft.requestSnapshot(to);
      return false;
    }
    long last = log.lastIndex();
    RaftConfig config = raft.config();
    List<LogEntry> entries =
        log.entries(
            pr.next(),
            Math.min(last + 1, pr.next() + config.maxEntriesPerAppend()),
            config.maxBytesPerAppend());
    if (entries.isEmpty() && !sendIfEmpty) {
      return false;
    }
    long bytes = 0;
    for (LogEntry e : entries) {
      bytes += e.sizeInBytes();
    }
    raft.send(
        new AppendEntries(
            raft.id(), to, raft.term(), prevIndex, prevTerm, entries, log.committed()));
    pr.onAppendSent(entries.size(), prevIndex + entries.size(), bytes);
    return true;
  }

  @Override
  public boolean hasPendingFlush() {
    return !needsAppend.isEmpty() || commitAdvanced || readHeartbeatPending;
  }

  @Override
  public void flush() {
    TreeSet<NodeId> sent = new TreeSet<>();
    for (NodeId peer : needsAppend) {
      while (sendAppend(peer, false)) {
        sent.add(peer);
      }
    }
    needsAppend.clear();
    if (commitAdvanced) {
      // Followers with nothing in flight would otherwise learn the new commit index only at the
      // next heartbeat; the others learn it from the appends and responses already under way.
      for (var e : raft.tracker().allProgress().entrySet()) {
        NodeId peer = e.getKey();
        Progress pr = e.getValue();
        if (!peer.equals(raft.id()) && !sent.contains(peer) && pr.next() == pr.match() + 1) {
          sendAppend(peer, true);
        }
      }
      commitAdvanced = false;
    }
    if (readHeartbeatPending) {
      broadcastHeartbeat();
    }
  }

  /** The runtime finished streaming a snapshot to {@code peer}. */
  void onSnapshotReported(NodeId peer, boolean success) {
    Progress pr = raft.tracker().progress(peer);
    if (pr == null) {
      return;
    }
    pr.onSnapshotReported(success);
    needsAppend.add(peer);
  }

  // ---- reads ----

  /** Starts a linearizable read for a local caller or a follower (dissertation, section 6.4). */
  void read(long requestId, NodeId requester) {
    if (transferee != null) {
      rejectRead(requestId, requester, RejectReason.LEADERSHIP_TRANSFER_IN_PROGRESS);
    } else if (log.termOrUnknown(log.committed()) != raft.term()) {
      // Until an entry of this term commits, our commit index may lag the true one.
      readsWaitingForCommit.add(new PendingRead(0, requestId, requester, 0));
    } else {
      queueRead(requestId, requester);
    }
  }

  private void queueRead(long requestId, NodeId requester) {
    reads.add(requestId, requester, log.committed());
    readHeartbeatPending = true;
    releaseConfirmedReads();
  }

  private void releaseConfirmedReads() {
    for (PendingRead r : reads.takeConfirmed(raft.tracker(), raft.id())) {
      if (r.requester().equals(raft.id())) {
        raft.addReadState(new ReadState(r.requestId(), r.index()));
      } else {
        raft.send(
            new ReadIndexResponse(
                raft.id(), r.requester(), raft.term(), r.requestId(), true, r.index()));
      }
    }
  }

  private void rejectRead(long requestId, NodeId requester, RejectReason reason) {
    if (requester.equals(raft.id())) {
      raft.addReadFailure(requestId, reason);
    } else {
      raft.send(new ReadIndexResponse(raft.id(), requester, raft.term(), requestId, false, 0));
    }
  }

  // ---- leadership transfer ----

  /** Dissertation, section 3.10. */
  Optional<String> transferTo(NodeId target) {
    if (target.equals(raft.id())) {
      return Optional.of(target + " is already the leader");
    }
    if (!raft.tracker().membership().isVoter(target)) {
      return Optional.of(target + " is not a voter");
    }
    if (target.equals(transferee)) {
      return Optional.empty();
    }
    transferee = target;
    // The transfer must finish within one election timeout or it is abandoned.
    raft.resetElectionElapsed();
    if (raft.tracker().progress(target).match() == log.lastIndex()) {
      raft.send(new TimeoutNow(raft.id(), target, raft.term()));
    } else {
      needsAppend.add(target);
    }
    return Optional.empty();
  }

  @Override
  public void onExit() {
    List<PendingRead> abandoned = new ArrayList<>(reads.drain());
    abandoned.addAll(readsWaitingForCommit);
    readsWaitingForCommit.clear();
    for (PendingRead r : abandoned) {
      if (r.requester().equals(raft.id())) {
        raft.addReadFailure(r.requestId(), RejectReason.LEADERSHIP_LOST);
      }
      // A follower's forwarded read fails on its side when it sees the leadership change.
    }
  }
}
