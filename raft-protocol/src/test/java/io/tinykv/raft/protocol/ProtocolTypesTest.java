package io.tinykv.raft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.message.AppendEntries;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolTypesTest {

  @Test
  void nodeIdRejectsBlankAndWhitespace() {
    assertThatThrownBy(() -> NodeId.of("")).hasMessageContaining("1..128");
    assertThatThrownBy(() -> NodeId.of("a b")).hasMessageContaining("whitespace");
    assertThat(NodeId.of("10.0.0.1:8001").toString()).isEqualTo("10.0.0.1:8001");
  }

  @Test
  void logEntryComparesPayloadByContent() {
    LogEntry a = LogEntry.command(3, 2, 100, new byte[] {1, 2});
    LogEntry b = LogEntry.command(3, 2, 100, new byte[] {1, 2});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(LogEntry.command(3, 2, 100, new byte[] {1, 3}));
    assertThatThrownBy(() -> LogEntry.command(0, 1, 0, null)).hasMessageContaining("index");
  }

  @Test
  void entryTypeCodesRoundTripAndUnknownCodesFail() {
    for (EntryType t : EntryType.values()) {
      assertThat(EntryType.fromCode(t.code())).isEqualTo(t);
    }
    assertThatThrownBy(() -> EntryType.fromCode((byte) 99)).hasMessageContaining("99");
  }

  @Test
  void membershipKeepsLearnersAndVotersApart() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    assertThatThrownBy(() -> new Membership(Set.of(a), Set.of(), Set.of(a)))
        .hasMessageContaining("both a voter and a learner");
    assertThatThrownBy(() -> Membership.ofVoters(Set.of())).hasMessageContaining("voter");
    Membership joint = new Membership(Set.of(a), Set.of(b), Set.of());
    assertThat(joint.isJoint()).isTrue();
    assertThat(joint.isVoter(b)).isTrue();
    assertThat(joint.allMembers()).containsExactly(a, b);
  }

  @Test
  void appendEntriesRequiresContiguousEntries() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    LogEntry e5 = LogEntry.command(5, 1, 0, null);
    assertThat(new AppendEntries(a, b, 1, 4, 1, List.of(e5), 0).lastIndex()).isEqualTo(5);
    assertThatThrownBy(() -> new AppendEntries(a, b, 1, 3, 1, List.of(e5), 0))
        .hasMessageContaining("contiguous");
  }
}
