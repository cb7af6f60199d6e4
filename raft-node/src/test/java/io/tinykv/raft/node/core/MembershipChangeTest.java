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

import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.TimeoutNow;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Membership changes in one core (Raft paper, section 6; dissertation, chapter 4), driven by hand:
 * configurations take effect when appended, voter changes go through C_old,new, one change runs at
 * a time, learners join without a vote, and a leader that removes itself hands over.
 */
class MembershipChangeTest {

  private static final Membership WITH_LEARNER = THREE.withLearner(N4, address(N4));

  private static Membership configIn(LogEntry e) {
    assertThat(e.type()).isEqualTo(EntryType.CONFIGURATION);
    return MembershipCodec.decodeEntry(e.payload());
  }

  /** A leader of THREE in term 1 whose no-op (index 1) is committed. */
  private static CoreHarness leader() {
    CoreHarness h = new CoreHarness(N1, THREE);
    h.elect(N2);
    h.step(AppendEntriesResponse.accept(N2, N1, 1, 1));
    h.drain();
    assertThat(h.node.status().commitIndex()).isEqualTo(1);
    return h;
  }

  private static long accepted(ProposeResult result) {
    assertThat(result).isInstanceOf(ProposeResult.Accepted.class);
    return ((ProposeResult.Accepted) result).index();
  }

  @Test
  void onlyTheLeaderAcceptsAChange() {
    CoreHarness h = new CoreHarness(N1, THREE);
    assertThat(h.node.proposeMembership(WITH_LEARNER, 0))
        .isEqualTo(new ProposeResult.Rejected(RejectReason.NOT_LEADER, Optional.empty()));
  }

  /** Dissertation 4.1: a configuration takes effect as soon as it is in the log. */
  @Test
  void addingALearnerTakesEffectWhenAppendedWithoutAJointConfiguration() {
    CoreHarness h = leader();
    long index = accepted(h.node.proposeMembership(WITH_LEARNER, 0));
    assertThat(index).isEqualTo(2);
    assertThat(h.node.status().membership()).isEqualTo(WITH_LEARNER);
    Ready r = h.persist();
    assertThat(r.entries()).hasSize(1);
    assertThat(configIn(r.entries().get(0))).isEqualTo(WITH_LEARNER);
    // The new member is probed from the end of the log, at the next heartbeat.
    h.node.tick();
    assertThat(byRecipient(h.drain(), Heartbeat.class)).containsKey(N4);
  }

  /** Section 6: C_old,new first; once it commits the leader appends C_new by itself. */
  @Test
  void removingAVoterGoesThroughTheJointConfiguration() {
    CoreHarness h = leader();
    Membership target = THREE.without(N3);
    long joint = accepted(h.node.proposeMembership(target, 0));
    Membership expectedJoint = THREE.jointWith(target);
    assertThat(h.node.status().membership()).isEqualTo(expectedJoint);
    h.drain();
    assertThat(configIn(h.log.entry(joint))).isEqualTo(expectedJoint);

    h.step(AppendEntriesResponse.accept(N2, N1, 1, joint));
    h.drain();
    assertThat(h.node.status().commitIndex()).isEqualTo(joint);
    assertThat(h.log.lastIndex()).isEqualTo(joint + 1);
    assertThat(configIn(h.log.entry(joint + 1))).isEqualTo(target);
    assertThat(h.node.status().membership()).isEqualTo(target);
  }

  /** Section 6: while joint, every decision needs a majority of C_old and of C_new. */
  @Test
  void jointConsensusNeedsMajoritiesOfBothConfigurations() {
    CoreHarness h = leader();
    long learnerIndex = accepted(h.node.proposeMembership(WITH_LEARNER, 0));
    h.drain();
    h.step(AppendEntriesResponse.accept(N2, N1, 1, learnerIndex));
    h.drain();
    // Replace n3 by n4: C_new = {n1, n2, n4}, C_old = {n1, n2, n3}.
    Membership target = WITH_LEARNER.withLearnerPromoted(N4).without(N3);
    long joint = accepted(h.node.proposeMembership(target, 0));
    h.drain();
    h.step(AppendEntriesResponse.accept(N4, N1, 1, joint));
    h.drain();
    assertThat(h.node.status().commitIndex())
        .as("n1 and n4 are a majority of C_new but not of C_old")
        .isEqualTo(learnerIndex);
    h.step(AppendEntriesResponse.accept(N3, N1, 1, joint));
    h.drain();
    assertThat(h.node.status().commitIndex()).isGreaterThanOrEqualTo(joint);
    assertThat(h.node.status().membership()).isEqualTo(target);
  }

  /**
   * The acknowledgement that commits C_old,new can come from the member C_new removes: the leader
   * then appends C_new, forgets that member's progress, and must not send to it any more.
   */
  @Test
  void aMemberWhoseAcknowledgementCommitsItsOwnRemovalIsLeftAlone() {
    Membership four = THREE.withLearner(N4, address(N4)).withLearnerPromoted(N4);
    CoreHarness h = new CoreHarness(N1, four);
    h.elect(N2, N3);
    h.step(AppendEntriesResponse.accept(N2, N1, 1, 1));
    h.step(AppendEntriesResponse.accept(N3, N1, 1, 1));
    h.drain();
    Membership target = four.without(N4);
    long joint = accepted(h.node.proposeMembership(target, 0));
    h.drain();
    h.step(AppendEntriesResponse.accept(N2, N1, 1, joint));
    h.drain();
    assertThat(h.node.status().commitIndex()).as("2 of the 4 old voters").isLessThan(joint);
    h.step(AppendEntriesResponse.accept(N4, N1, 1, joint));
    List<RaftMessage> sent = h.drain();
    assertThat(h.node.status().membership()).isEqualTo(target);
    assertThat(byRecipient(sent, AppendEntries.class)).doesNotContainKey(N4);
  }

  /** Section 6 and the single-server-change bug: one change at a time. */
  @Test
  void aSecondChangeWhileOneIsPendingIsRejected() {
    CoreHarness h = leader();
    accepted(h.node.proposeMembership(THREE.without(N3), 0));
    ProposeResult.Rejected inProgress =
        new ProposeResult.Rejected(RejectReason.MEMBERSHIP_CHANGE_IN_PROGRESS, Optional.of(N1));
    assertThat(h.node.proposeMembership(THREE.without(N2), 0)).isEqualTo(inProgress);
    h.drain();
    assertThat(h.node.proposeMembership(THREE.without(N2), 0))
        .as("still joint until C_new is appended and committed")
        .isEqualTo(inProgress);
  }

  @Test
  void aNewLeaderAcceptsNoChangeBeforeItCommitsAnEntryOfItsTerm() {
    CoreHarness h = new CoreHarness(N1, THREE);
    h.elect(N2);
    assertThat(h.node.proposeMembership(WITH_LEARNER, 0))
        .isEqualTo(
            new ProposeResult.Rejected(
                RejectReason.MEMBERSHIP_CHANGE_IN_PROGRESS, Optional.of(N1)));
  }

  @Test
  void aTargetThatIsJointOrUnchangedIsABug() {
    CoreHarness h = leader();
    assertThatThrownBy(() -> h.node.proposeMembership(THREE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.node.proposeMembership(THREE.jointWith(THREE.without(N3)), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Section 6: a leader not in C_new manages the cluster until C_new is committed, then steps down;
   * it hands over to an up-to-date voter with TimeoutNow (dissertation 3.10).
   */
  @Test
  void aLeaderThatRemovesItselfStepsDownOnceCNewCommitsAndHandsOver() {
    CoreHarness h = leader();
    Membership target = THREE.without(N1);
    long joint = accepted(h.node.proposeMembership(target, 0));
    h.drain();
    h.step(AppendEntriesResponse.accept(N2, N1, 1, joint));
    h.drain();
    assertThat(h.node.status().commitIndex())
        .as("C_new = {n2, n3} needs both of them")
        .isLessThan(joint);
    h.step(AppendEntriesResponse.accept(N3, N1, 1, joint));
    h.drain();
    assertThat(h.node.role()).isEqualTo(Role.LEADER);
    long cNew = joint + 1;
    assertThat(configIn(h.log.entry(cNew))).isEqualTo(target);

    h.step(AppendEntriesResponse.accept(N2, N1, 1, cNew));
    List<RaftMessage> sent = h.drain();
    assertThat(h.node.role()).as("C_new is not committed by n2 alone").isEqualTo(Role.LEADER);
    assertThat(sent).noneMatch(m -> m instanceof TimeoutNow);
    h.step(AppendEntriesResponse.accept(N3, N1, 1, cNew));
    sent = h.drain();
    assertThat(h.node.role()).isEqualTo(Role.FOLLOWER);
    assertThat(byRecipient(sent, TimeoutNow.class).keySet()).hasSize(1).isSubsetOf(N2, N3);
    assertThat(h.node.status().membership()).isEqualTo(target);
  }

  /** Dissertation 4.1: a follower uses the latest configuration in its log, committed or not. */
  @Test
  void aFollowerAdoptsAConfigurationWhenAppendedAndDropsItWhenTruncated() {
    CoreHarness h = new CoreHarness(N2, THREE);
    LogEntry config =
        new LogEntry(2, 1, EntryType.CONFIGURATION, 0, MembershipCodec.encodeEntry(WITH_LEARNER));
    h.step(new AppendEntries(N1, N2, 1, 0, 0, List.of(LogEntry.noOp(1, 1, 0), config), 1));
    h.drain();
    assertThat(h.node.status().membership()).isEqualTo(WITH_LEARNER);

    // A leader of term 2 that never had the change overwrites the uncommitted entry.
    h.step(
        new AppendEntries(N3, N2, 2, 1, 1, List.of(LogEntry.command(2, 2, 0, new byte[] {1})), 1));
    h.drain();
    assertThat(h.log.entry(2).term()).isEqualTo(2);
    assertThat(h.node.status().membership()).isEqualTo(THREE);
  }

  @Test
  void aRestartedNodeUsesTheLatestConfigurationInItsLog() {
    MemoryLog log = new MemoryLog();
    Membership target = THREE.without(N3);
    log.append(
        List.of(
            LogEntry.noOp(1, 1, 0),
            new LogEntry(
                2,
                1,
                EntryType.CONFIGURATION,
                0,
                MembershipCodec.encodeEntry(THREE.jointWith(target))),
            new LogEntry(3, 1, EntryType.CONFIGURATION, 0, MembershipCodec.encodeEntry(target))));
    RawNode n =
        new RawNode(
            RaftConfig.builder(N1).build(),
            THREE,
            new HardState(1, Optional.empty()),
            log,
            0,
            new Random(1)::nextInt);
    assertThat(n.status().membership()).isEqualTo(target);
  }

  /**
   * Dissertation 4.2.3: a node outside the configuration cannot disturb it with elections, but a
   * leader the node does not know of yet is heard (a new node learning its first configuration).
   */
  @Test
  void messagesFromNonMembersAreIgnoredExceptALeaders() {
    CoreHarness h = new CoreHarness(N1, THREE);
    NodeId stranger = NodeId.of("n9");
    h.step(new RequestVote(stranger, N1, 5, 100, 4, false, false));
    assertThat(h.node.term()).isZero();
    assertThat(h.drain()).isEmpty();

    h.step(new AppendEntries(stranger, N1, 2, 0, 0, List.of(LogEntry.noOp(1, 2, 0)), 0));
    List<RaftMessage> sent = h.drain();
    assertThat(h.node.term()).isEqualTo(2);
    assertThat(h.node.leader()).contains(stranger);
    assertThat(sent).anyMatch(m -> m instanceof AppendEntriesResponse r && r.success());
  }

  /** Learners replicate but never campaign. */
  @Test
  void aLearnerNeverCampaigns() {
    CoreHarness h = new CoreHarness(N4, WITH_LEARNER);
    for (int i = 0; i < 100; i++) {
      h.node.tick();
      assertThat(h.drain()).noneMatch(m -> m instanceof RequestVote);
    }
    assertThat(h.node.role()).isEqualTo(Role.FOLLOWER);
    assertThat(h.node.term()).isZero();
  }

  /** Dissertation 4.2.1: a learner that has caught up is promoted through a joint change. */
  @Test
  void aCaughtUpLearnerIsPromoted() {
    CoreHarness h =
        new CoreHarness(
            RaftConfig.builder(N1)
                .electionTicks(10)
                .heartbeatTicks(1)
                .learnerCatchUpEntries(0)
                .build(),
            THREE);
    h.elect(N2);
    h.step(AppendEntriesResponse.accept(N2, N1, 1, 1));
    h.drain();
    long index = accepted(h.node.proposeMembership(WITH_LEARNER, 0));
    h.drain();
    h.step(AppendEntriesResponse.accept(N2, N1, 1, index));
    h.step(AppendEntriesResponse.accept(N4, N1, 1, index));
    h.drain();
    h.node.tick();
    h.drain();
    Membership promoted = WITH_LEARNER.withLearnerPromoted(N4);
    assertThat(h.node.status().membership()).isEqualTo(WITH_LEARNER.jointWith(promoted));
    assertThat(h.node.status().membership().voters()).isEqualTo(Set.of(N1, N2, N3, N4));
  }

  /**
   * Dissertation 4.2.1: a learner must catch up before it counts toward quorums, so one that has
   * never answered (dead, or unreachable) is not promoted, however short the log is.
   */
  @Test
  void aLearnerThatNeverAnsweredIsNotPromoted() {
    CoreHarness h = leader();
    accepted(h.node.proposeMembership(WITH_LEARNER, 0));
    h.drain();
    for (int i = 0; i < 30; i++) {
      h.step(AppendEntriesResponse.accept(N2, N1, 1, h.log.lastIndex()));
      h.node.tick();
      h.drain();
    }
    assertThat(h.node.status().membership().learners()).containsExactly(N4);
  }
}
