package io.tinykv.raft.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One node driven by hand-made messages, each test citing the part of the Raft paper (Ongaro and
 * Ousterhout, 2014) or of Ongaro's dissertation it checks.
 */
class RaftPaperTest {

  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final Membership THREE = Membership.ofVoters(Set.of(N1, N2, N3));

  private final MemoryLog log = new MemoryLog();

  private RawNode node(RaftConfig config, HardState hard) {
    return new RawNode(config, THREE, hard, log, 0, new Random(7)::nextInt);
  }

  private static RaftConfig.Builder config() {
    return RaftConfig.builder(N1).electionTicks(10).heartbeatTicks(1);
  }

  /** Collects one ready and makes it durable at once, as a synchronous runtime would. */
  private Ready persist(RawNode node) {
    Ready r = node.ready();
    log.append(r.entries());
    node.onPersisted(r.number());
    return r;
  }

  private static List<RaftMessage> allMessages(Ready r) {
    List<RaftMessage> all = new ArrayList<>(r.messages());
    all.addAll(r.persistedMessages());
    return all;
  }

  @Test
  void section5_1_higherTermMakesANodeAFollowerAndForgetsItsVote() {
    RawNode n = node(config().build(), new HardState(2, Optional.of(N1)));
    n.step(new AppendEntries(N2, N1, 5, 0, 0, List.of(), 0));
    assertThat(n.term()).isEqualTo(5);
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
    assertThat(n.leader()).contains(N2);
    assertThat(n.status().votedFor()).isEmpty();
  }

  @Test
  void section5_1_staleLeaderIsToldTheNewerTerm() {
    RawNode n = node(config().build(), new HardState(5, Optional.empty()));
    persist(n);
    n.step(new AppendEntries(N2, N1, 3, 0, 0, List.of(), 0));
    Ready r = persist(n);
    assertThat(allMessages(r))
        .singleElement()
        .satisfies(m -> assertThat(m.term()).isEqualTo(5))
        .isInstanceOf(AppendEntriesResponse.class);
  }

  @Test
  void section5_2_candidatePersistsItsTermAndSelfVoteBeforeAskingForVotes() {
    RawNode n = node(config().preVote(false).build(), HardState.INITIAL);
    for (int i = 0; i < 20 && n.role() == Role.FOLLOWER; i++) {
      n.tick();
    }
    assertThat(n.role()).isEqualTo(Role.CANDIDATE);
    Ready r = n.ready();
    assertThat(r.hardState()).contains(new HardState(1, Optional.of(N1)));
    assertThat(r.messages()).as("nothing may leave before the vote is durable").isEmpty();
    assertThat(r.persistedMessages())
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).isInstanceOf(RequestVote.class));
  }

  @Test
  void section9_6_preCandidateDoesNotChangeItsTerm() {
    RawNode n = node(config().build(), new HardState(4, Optional.empty()));
    for (int i = 0; i < 20 && n.role() == Role.FOLLOWER; i++) {
      n.tick();
    }
    assertThat(n.role()).isEqualTo(Role.PRE_CANDIDATE);
    assertThat(n.term()).isEqualTo(4);
    Ready r = n.ready();
    assertThat(r.hardState()).isEmpty();
    assertThat(r.messages())
        .hasSize(2)
        .allSatisfy(m -> assertThat(((RequestVote) m).preVote()).isTrue())
        .allSatisfy(m -> assertThat(m.term()).isEqualTo(5));
  }

  @Test
  void section5_2_atMostOneVotePerTerm() {
    RawNode n = node(config().build(), HardState.INITIAL);
    n.step(new RequestVote(N2, N1, 1, 0, 0, false, false));
    n.step(new RequestVote(N3, N1, 1, 0, 0, false, false));
    Ready r = persist(n);
    assertThat(r.persistedMessages()).hasSize(2);
    RequestVoteResponse toN2 = (RequestVoteResponse) r.persistedMessages().get(0);
    RequestVoteResponse toN3 = (RequestVoteResponse) r.persistedMessages().get(1);
    assertThat(toN2.granted()).isTrue();
    assertThat(toN3.granted()).isFalse();
    assertThat(r.hardState()).contains(new HardState(1, Optional.of(N2)));
  }

  @Test
  void section5_4_1_voterRejectsACandidateWhoseLogIsLessUpToDate() {
    log.append(List.of(LogEntry.command(1, 1, 0, null), LogEntry.command(2, 2, 0, null)));
    RawNode n = node(config().build(), new HardState(2, Optional.empty()));
    n.step(new RequestVote(N2, N1, 3, 5, 1, false, false)); // longer, but older last term
    n.step(new RequestVote(N3, N1, 3, 1, 2, false, false)); // same last term, shorter
    Ready r = persist(n);
    assertThat(allMessages(r))
        .hasSize(2)
        .allSatisfy(m -> assertThat(((RequestVoteResponse) m).granted()).isFalse());
  }

  @Test
  void section5_3_followerRejectsAMismatchedAppendWithAHintThatSkipsTheTerm() {
    List<LogEntry> mine = new ArrayList<>();
    for (long i = 1; i <= 6; i++) {
      mine.add(LogEntry.command(i, i <= 2 ? 1 : 3, 0, null));
    }
    log.append(mine);
    RawNode n = node(config().build(), new HardState(3, Optional.empty()));
    // Leader of term 5 probes at index 6 with term 4: our entries 3..6 (term 3) cannot match
    // anything of term 4 and the hint points to index 6 (term 3 <= 4), so the leader can jump.
    n.step(new AppendEntries(N2, N1, 5, 6, 4, List.of(), 0));
    AppendEntriesResponse resp = (AppendEntriesResponse) allMessages(persist(n)).get(0);
    assertThat(resp.success()).isFalse();
    assertThat(resp.index()).isEqualTo(6);
    assertThat(resp.hintIndex()).isEqualTo(6);
    assertThat(resp.hintTerm()).isEqualTo(3);
  }

  @Test
  void section5_3_conflictingSuffixIsReplacedAndAcknowledgedOnlyWhenDurable() {
    log.append(List.of(LogEntry.command(1, 1, 0, null), LogEntry.command(2, 1, 0, null)));
    RawNode n = node(config().build(), new HardState(1, Optional.empty()));
    LogEntry replacement = LogEntry.command(2, 2, 0, new byte[] {9});
    n.step(new AppendEntries(N2, N1, 2, 1, 1, List.of(replacement), 0));
    Ready r = n.ready();
    assertThat(r.entries()).containsExactly(replacement);
    assertThat(r.messages()).isEmpty();
    assertThat(r.persistedMessages())
        .singleElement()
        .isEqualTo(AppendEntriesResponse.accept(N1, N2, 2, 2));
  }

  @Test
  void section5_4_2_leaderCommitsOldTermEntriesOnlyThroughAnEntryOfItsOwnTerm() {
    log.append(List.of(LogEntry.command(1, 1, 0, null)));
    RawNode n = node(config().preVote(false).build(), new HardState(1, Optional.empty()));
    n.campaign();
    persist(n);
    n.step(new RequestVoteResponse(N2, N1, 2, false, true));
    assertThat(n.role()).isEqualTo(Role.LEADER);
    persist(n); // the no-op at index 2, term 2, durable on the leader
    // A follower acknowledges index 1 only: replicated on a majority, but from term 1.
    n.step(AppendEntriesResponse.accept(N2, N1, 2, 1));
    persist(n);
    assertThat(n.status().commitIndex()).isZero();
    n.step(AppendEntriesResponse.accept(N2, N1, 2, 2));
    Ready r = persist(n);
    assertThat(n.status().commitIndex()).isEqualTo(2);
    assertThat(r.committedEntries()).extracting(LogEntry::index).containsExactly(1L, 2L);
  }

  @Test
  void leaderCountsItsOwnEntryOnlyOnceDurable() {
    RawNode n =
        new RawNode(
            RaftConfig.builder(N1).build(),
            Membership.ofVoters(Set.of(N1)),
            HardState.INITIAL,
            log,
            0,
            new Random(1)::nextInt);
    n.campaign();
    assertThat(n.role()).isEqualTo(Role.LEADER);
    Ready r = n.ready();
    assertThat(r.entries()).hasSize(1);
    assertThat(n.status().commitIndex()).as("no-op written but not durable").isZero();
    log.append(r.entries());
    n.onPersisted(r.number());
    assertThat(n.status().commitIndex()).isEqualTo(1);
  }

  @Test
  void section9_6_followerHearingALiveLeaderIgnoresDisruptiveCandidates() {
    RawNode n = node(config().build(), new HardState(3, Optional.empty()));
    n.step(new AppendEntries(N2, N1, 3, 0, 0, List.of(), 0));
    persist(n);
    n.step(new RequestVote(N3, N1, 4, 10, 3, false, false));
    assertThat(n.term()).as("term unchanged: the request was ignored").isEqualTo(3);
    n.step(new RequestVote(N3, N1, 4, 10, 3, false, true));
    assertThat(n.term()).as("a leadership transfer overrides the lease").isEqualTo(4);
  }

  @Test
  void checkQuorum_isolatedLeaderRefusesWritesThenStepsDown() {
    RawNode n = node(config().preVote(false).build(), HardState.INITIAL);
    n.campaign();
    persist(n);
    n.step(new RequestVoteResponse(N2, N1, 1, false, true));
    assertThat(n.role()).isEqualTo(Role.LEADER);
    assertThat(n.propose(new byte[] {1}, 0)).isInstanceOf(ProposeResult.Accepted.class);
    // Nobody answers. After one election timeout of silence the leader refuses writes ...
    for (int i = 0; i < 15; i++) {
      n.tick();
      persist(n);
    }
    assertThat(n.role()).isEqualTo(Role.LEADER);
    assertThat(n.propose(new byte[] {2}, 0))
        .isEqualTo(new ProposeResult.Rejected(RejectReason.NO_QUORUM, Optional.empty()));
    // ... and at the next check-quorum boundary it steps down.
    for (int i = 0; i < 10 && n.role() == Role.LEADER; i++) {
      n.tick();
      persist(n);
    }
    assertThat(n.role()).isEqualTo(Role.FOLLOWER);
    assertThat(n.propose(new byte[] {3}, 0))
        .isEqualTo(new ProposeResult.Rejected(RejectReason.NOT_LEADER, Optional.empty()));
  }
}
