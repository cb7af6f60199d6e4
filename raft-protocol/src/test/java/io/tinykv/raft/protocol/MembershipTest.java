package io.tinykv.raft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final NodeId N4 = NodeId.of("n4");
  private static final NodeAddress A1 = NodeAddress.of("127.0.0.1", 7001);
  private static final NodeAddress A2 = NodeAddress.of("127.0.0.1", 7002);
  private static final NodeAddress A3 = NodeAddress.of("127.0.0.1", 7003);
  private static final NodeAddress A4 = NodeAddress.of("127.0.0.1", 7004);

  private final Membership three = Membership.ofVoters(Map.of(N1, A1, N2, A2, N3, A3));

  @Test
  void addressesBelongToMembers() {
    assertThat(three.address(N2)).contains(A2);
    assertThat(three.memberAt(A3)).contains(N3);
    assertThat(three.memberAt(A4)).isEmpty();
    assertThatThrownBy(() -> new Membership(Set.of(N1), Set.of(), Set.of(), Map.of(N2, A2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n2, which is not a member");
  }

  @Test
  void growingGoesThroughALearnerAndAJointConfiguration() {
    Membership withLearner = three.withLearner(N4, A4);
    assertThat(withLearner.learners()).containsExactly(N4);
    assertThat(withLearner.isVoter(N4)).isFalse();
    assertThat(withLearner.isMember(N4)).isTrue();

    Membership target = withLearner.withLearnerPromoted(N4);
    Membership joint = withLearner.jointWith(target);
    assertThat(joint.isJoint()).isTrue();
    assertThat(joint.voters()).containsExactly(N1, N2, N3, N4);
    assertThat(joint.outgoingVoters()).containsExactly(N1, N2, N3);
    assertThat(joint.learners()).isEmpty();
    assertThat(joint.leaveJoint()).isEqualTo(target);
    assertThat(target.address(N4)).contains(A4);
  }

  @Test
  void shrinkingKeepsTheRemovedVotersAddressWhileJoint() {
    Membership target = three.without(N1);
    Membership joint = three.jointWith(target);
    assertThat(joint.voters()).containsExactly(N2, N3);
    assertThat(joint.outgoingVoters()).containsExactly(N1, N2, N3);
    assertThat(joint.address(N1)).contains(A1);
    assertThat(joint.leaveJoint().address(N1)).isEmpty();
    assertThat(joint.leaveJoint()).isEqualTo(target);
  }

  @Test
  void changesAreRefusedClearly() {
    assertThatThrownBy(() -> three.withLearner(N1, A1)).hasMessageContaining("already a member");
    assertThatThrownBy(() -> three.without(N4)).hasMessageContaining("not a member");
    assertThatThrownBy(() -> Membership.ofVoters(Map.of(N1, A1)).without(N1))
        .hasMessageContaining("the only voter");
    Membership joint = three.jointWith(three.without(N3));
    assertThatThrownBy(() -> joint.withLearner(N4, A4))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("during a joint change");
    assertThatThrownBy(
            () -> three.jointWith(new Membership(Set.of(N1, N2), Set.of(), Set.of(N3), Map.of())))
        .hasMessageContaining("remove it instead");
  }

  @Test
  void configurationEntriesRoundTrip() {
    Membership joint = three.withLearner(N4, A4).jointWith(three.without(N1).withLearner(N4, A4));
    byte[] payload = MembershipCodec.encodeEntry(joint);
    assertThat(MembershipCodec.decodeEntry(payload)).isEqualTo(joint);
  }

  @Test
  void malformedConfigurationEntriesAreRejected() throws IOException {
    byte[] payload = MembershipCodec.encodeEntry(three);
    assertThatThrownBy(() -> MembershipCodec.decodeEntry(Arrays.copyOf(payload, 7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    byte[] wrongVersion = payload.clone();
    wrongVersion[0] = 9;
    assertThatThrownBy(() -> MembershipCodec.decodeEntry(wrongVersion))
        .hasMessageContaining("unknown format version 9");
    byte[] trailing = Arrays.copyOf(payload, payload.length + 1);
    assertThatThrownBy(() -> MembershipCodec.decodeEntry(trailing))
        .hasMessageContaining("1 trailing bytes");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(MembershipCodec.ENTRY_VERSION);
      out.writeShort(0); // no voters
      out.writeShort(0);
      out.writeShort(0);
      out.writeShort(0);
    }
    assertThatThrownBy(() -> MembershipCodec.decodeEntry(bytes.toByteArray()))
        .hasMessageContaining("at least one voter");
  }
}
