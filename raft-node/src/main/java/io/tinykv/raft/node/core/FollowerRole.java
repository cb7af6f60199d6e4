package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;

/** A follower replicates the leader's log and campaigns when the leader goes quiet. */
final class FollowerRole implements RoleBehaviour {

  private final Raft raft;

  FollowerRole(Raft raft) {
    this.raft = raft;
  }

  @Override
  public Role role() {
    return Role.FOLLOWER;
  }

  @Override
  public void tick() {
    raft.tickElection();
  }

  @Override
  public void step(RaftMessage message) {
    if (message instanceof AppendEntries m) {
      raft.heardFromLeader(m.from());
      handleAppend(m);
    } else if (message instanceof Heartbeat m) {
      raft.heardFromLeader(m.from());
      raft.log().commitTo(Math.min(m.commit(), raft.log().lastIndex()));
      raft.send(new HeartbeatResponse(raft.id(), m.from(), raft.term(), m.readContext()));
    } else if (message instanceof TimeoutNow m) {
      raft.campaignForTransfer(m.from());
    } else if (message instanceof ReadIndexResponse m) {
      raft.onReadIndexResponse(m);
    } else if (message instanceof ReadIndex m) {
      // We are not the leader: let the sender retry elsewhere.
      raft.send(new ReadIndexResponse(raft.id(), m.from(), raft.term(), m.requestId(), false, 0));
    }
    // Anything else answers a leader or candidate we no longer are: stale, ignored.
  }

  /** Raft paper, Figure 2, AppendEntries receiver implementation. */
  private void handleAppend(AppendEntries m) {
    RaftLog log = raft.log();
    if (m.prevLogIndex() < log.committed()) {
      // Everything up to our commit index matches any leader's log already.
      raft.send(AppendEntriesResponse.accept(raft.id(), m.from(), raft.term(), log.committed()));
      return;
    }
    long lastNew = log.maybeAppend(m.prevLogIndex(), m.prevLogTerm(), m.entries());
    if (lastNew >= 0) {
      if (!m.entries().isEmpty()) {
        raft.onAppended(m.prevLogIndex() + 1, m.entries());
      }
      log.commitTo(Math.min(m.leaderCommit(), lastNew));
      raft.send(AppendEntriesResponse.accept(raft.id(), m.from(), raft.term(), lastNew));
      return;
    }
    // Point the leader at the last entry that may still match, skipping a whole conflicting
    // term at once instead of one entry per round trip.
    long hintIndex = log.findConflictByTerm(m.prevLogIndex(), m.prevLogTerm());
    long hintTerm = Math.max(0, log.termOrUnknown(hintIndex));
    raft.send(
        new AppendEntriesResponse(
            raft.id(), m.from(), raft.term(), false, m.prevLogIndex(), hintIndex, hintTerm));
  }
}
