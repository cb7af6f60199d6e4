package io.tinykv.raft.node.core;

import io.tinykv.raft.node.core.ReadIndexQueue.PendingRead;
import io.tinykv.raft.node.core.tracker.Progress;
import io.tinykv.raft.node.core.tracker.ReplicationMode;
import io.tinykv.raft.protocol.LogEntry;
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

  /** Raft paper, section 5.4.2 and dissertation 6.4: a new leader appends a no-op at once. */
  void start() {
    raft.selfProgress().setMatch(log.persistedIndex());
    // A majority just voted for us: start the check-quorum clock for everyone from now.
    raft.tracker().allProgress().values().forEach(p -> p.heardAt(raft.now()));
    log.append(LogEntry.noOp(log.lastIndex() + 1, raft.term(), 0));
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
    raft.selfProgress().setMatch(log.persistedIndex());
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
    if (pr.isPaused()) {
      return false;
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
