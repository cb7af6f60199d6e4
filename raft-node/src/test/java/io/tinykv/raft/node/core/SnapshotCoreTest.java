package io.tinykv.raft.node.core;

import static io.tinykv.raft.node.core.CoreHarness.N1;
import static io.tinykv.raft.node.core.CoreHarness.N2;
import static io.tinykv.raft.node.core.CoreHarness.N3;
import static io.tinykv.raft.node.core.CoreHarness.N4;
import static io.tinykv.raft.node.core.CoreHarness.THREE;
import static io.tinykv.raft.node.core.CoreHarness.address;
import static io.tinykv.raft.node.core.CoreHarness.byRecipient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Log compaction and snapshots in one core (Raft paper, section 7): what the core asks of its
 * runtime ({@link Ready#compactIndex()}, {@link Ready#snapshotRequests()}, {@link
 * Ready#snapshot()}) and how it answers {@link RawNode#compact}, {@link RawNode#reportSnapshot} and
 * {@link RawNode#offerSnapshot}.
 */
class SnapshotCoreTest {

  /** A leader of THREE in term 1 with entries 1..{@code count} committed and applied. */
  private static CoreHarness leaderWith(int count) {
    CoreHarness h = new CoreHarness(N1, THREE);
    h.elect(N2);
    for (int i = 2; i <= count; i++) {
      h.node.propose(new byte[] {(byte) i}, 0);
    }
    h.drain();
    h.step(AppendEntriesResponse.accept(N2, N1, 1, count));
    h.drain();
    assertThat(h.node.status().appliedIndex()).isEqualTo(count);
    return h;
  }

  /** A follower of THREE holding entries 1..{@code count} of term 1, {@code commit} committed. */
  private static CoreHarness followerWith(int count, int commit) {
    CoreHarness h = new CoreHarness(N2, THREE);
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      entries.add(LogEntry.command(i, 1, 0, new byte[] {(byte) i}));
    }
    h.step(new AppendEntries(N1, N2, 1, 0, 0, entries, commit));
    h.drain();
    return h;
  }

  @Test
  void compactionIsHandedToTheRuntimeInTheNextReady() {
    CoreHarness h = leaderWith(6);
    h.node.compact(4);
    assertThat(h.node.status().firstIndex()).isEqualTo(5);
    Ready r = h.persist();
    assertThat(r.compactIndex()).isEqualTo(4);
    assertThat(h.log.firstIndex()).isEqualTo(5);
    assertThat(h.node.hasReady()).isFalse();
  }

  @Test
  void compactingBeyondTheAppliedIndexIsRefused() {
    CoreHarness h = leaderWith(3);
    h.node.propose(new byte[] {9}, 0);
    h.drain();
    assertThatThrownBy(() -> h.node.compact(4)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Section 7: a follower that needs compacted entries is sent the snapshot instead. */
  @Test
  void aFollowerNeedingCompactedEntriesGetsASnapshotRequest() {
    CoreHarness h = leaderWith(8);
    h.node.compact(6);
    h.drain();
    // n3 never answered the first probe (from index 1); when it is heard from again, the
    // leader would have to send it entries it no longer holds.
    h.step(new HeartbeatResponse(N3, N1, 1, 0));
    List<SnapshotRequest> requests = h.drainSnapshotRequests();
    assertThat(requests).containsExactly(new SnapshotRequest(N3, 1));

    // While the snapshot is under way, no appends go to n3.
    h.node.propose(new byte[] {1}, 0);
    assertThat(byRecipient(h.drain(), AppendEntries.class)).doesNotContainKey(N3);

    // Once it is installed, replication resumes after it.
    h.node.reportSnapshot(N3, true);
    List<RaftMessage> sent = h.drain();
    List<AppendEntries> toN3 = byRecipient(sent, AppendEntries.class).get(N3);
    assertThat(toN3).isNotEmpty();
    assertThat(toN3.get(0).prevLogIndex()).isEqualTo(6);
  }

  @Test
  void aFailedTransferIsRequestedAgain() {
    CoreHarness h = leaderWith(8);
    h.node.compact(6);
    h.drain();
    h.step(new HeartbeatResponse(N3, N1, 1, 0));
    assertThat(h.drainSnapshotRequests()).hasSize(1);
    h.node.reportSnapshot(N3, false);
    assertThat(h.drainSnapshotRequests()).containsExactly(new SnapshotRequest(N3, 1));
  }

  /** Figure 13, receiver steps 6-8: a snapshot ahead of the log replaces it entirely. */
  @Test
  void aFollowerAcceptsASnapshotAheadOfItsLog() {
    CoreHarness h = followerWith(3, 1);
    h.applied.clear();
    Membership withLearner = THREE.withLearner(N4, address(N4));
    SnapshotMeta meta = new SnapshotMeta(10, 1, withLearner);
    assertThat(h.node.offerSnapshot(N1, 1, meta)).isTrue();
    assertThat(h.node.status().membership()).isEqualTo(withLearner);
    assertThat(h.node.status().commitIndex()).isEqualTo(10);

    Ready r = h.node.ready();
    assertThat(r.snapshot()).contains(meta);
    assertThat(r.messages()).as("the acknowledgement waits for the install").isEmpty();
    assertThat(r.persistedMessages()).containsExactly(AppendEntriesResponse.accept(N2, N1, 1, 10));
    h.log.resetTo(meta.lastIndex(), meta.lastTerm());
    h.node.onPersisted(r.number());
    h.node.onApplied(10);

    // Replication continues after the snapshot.
    LogEntry next = LogEntry.command(11, 1, 0, new byte[] {11});
    h.step(new AppendEntries(N1, N2, 1, 10, 1, List.of(next), 11));
    h.drain();
    assertThat(h.applied).containsExactly(next);
    assertThat(h.node.status().firstIndex()).isEqualTo(11);
  }

  /** Figure 13, receiver step 6: a snapshot whose last entry the log holds keeps the log. */
  @Test
  void aSnapshotTheLogAlreadyHoldsIsDeclinedButCommits() {
    CoreHarness h = followerWith(6, 2);
    assertThat(h.node.offerSnapshot(N1, 1, new SnapshotMeta(4, 1, THREE))).isFalse();
    assertThat(h.node.status().commitIndex()).isEqualTo(4);
    List<RaftMessage> sent = h.drain();
    assertThat(sent).contains(AppendEntriesResponse.accept(N2, N1, 1, 4));
    assertThat(h.applied).extracting(LogEntry::index).containsExactly(1L, 2L, 3L, 4L);
    assertThat(h.log.lastIndex()).isEqualTo(6);
  }

  @Test
  void aSnapshotBehindTheCommitIndexIsDeclined() {
    CoreHarness h = followerWith(6, 5);
    assertThat(h.node.offerSnapshot(N1, 1, new SnapshotMeta(3, 1, THREE))).isFalse();
    assertThat(h.node.hasReady()).isTrue();
    Ready r = h.persist();
    assertThat(r.snapshot()).isEmpty();
  }

  @Test
  void aStaleLeadersSnapshotIsDeclined() {
    CoreHarness h = followerWith(2, 1);
    h.step(new AppendEntries(N3, N2, 3, 2, 1, List.of(), 1));
    h.drain();
    assertThat(h.node.offerSnapshot(N1, 1, new SnapshotMeta(10, 1, THREE))).isFalse();
    assertThat(h.node.term()).isEqualTo(3);
    assertThat(h.node.status().lastIndex()).isEqualTo(2);
  }

  /** A snapshot from a leader of a newer term makes the node its follower in that term. */
  @Test
  void aSnapshotFromANewerTermIsAcceptedInThatTerm() {
    CoreHarness h = followerWith(2, 1);
    assertThat(h.node.offerSnapshot(N3, 4, new SnapshotMeta(9, 3, THREE))).isTrue();
    assertThat(h.node.term()).isEqualTo(4);
    assertThat(h.node.leader()).contains(N3);
    Ready r = h.persist();
    assertThat(r.hardState()).isPresent();
    assertThat(r.snapshot()).isPresent();
    assertThat(h.log.firstIndex()).isEqualTo(10);
    assertThat(h.log.term(9)).isEqualTo(3);
  }
}
