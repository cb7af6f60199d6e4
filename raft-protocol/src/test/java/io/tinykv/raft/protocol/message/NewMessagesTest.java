package io.tinykv.raft.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The invariants of the snapshot and cluster messages. */
class NewMessagesTest {

  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final Membership MEMBERS = Membership.ofVoters(Set.of(A, B));
  private static final Optional<Endpoint> LEADER =
      Optional.of(Endpoint.of(A, NodeAddress.of("h", 1)));

  @Test
  void snapshotChunksMustFitTheSnapshotAndFlagTheLastOne() {
    byte[] data = {1, 2, 3};
    assertThat(chunk(0, data, 3, true).done()).isTrue();
    assertThat(chunk(0, data, 4, false).done()).isFalse();
    assertThatThrownBy(() -> chunk(0, data, 3, false)).hasMessageContaining("done=false");
    assertThatThrownBy(() -> chunk(0, data, 4, true)).hasMessageContaining("done=true");
    assertThatThrownBy(() -> chunk(2, data, 4, true)).hasMessageContaining("offset 2");
    assertThatThrownBy(() -> chunk(Long.MAX_VALUE, data, 5, false))
        .as("an offset that would overflow")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> chunk(-1, data, 2, true)).hasMessageContaining("offset");
    assertThatThrownBy(() -> new InstallSnapshot(A, B, 1, 0, 1, MEMBERS, 0, data, 3, true, 0))
        .hasMessageContaining("lastIncludedIndex");
  }

  @Test
  void aSnapshotChunkKnowsItsChecksumAndComparesByContent() {
    byte[] data = {1, 2, 3};
    CRC32C crc = new CRC32C();
    crc.update(data);
    InstallSnapshot chunk = chunk(0, data, 3, true);
    assertThat(chunk.chunkCrc32c()).isEqualTo((int) crc.getValue());
    assertThat(chunk).isEqualTo(chunk(0, new byte[] {1, 2, 3}, 3, true));
    assertThat(chunk.hashCode()).isEqualTo(chunk(0, new byte[] {1, 2, 3}, 3, true).hashCode());
    assertThat(chunk).isNotEqualTo(chunk(0, new byte[] {1, 2, 4}, 3, true));
    assertThat(chunk.toString()).contains("[0, 3) of 3 done");
    assertThat(chunk(0, null, 0, true).data()).isEmpty();
  }

  @Test
  void snapshotResponsesNameTheSnapshot() {
    assertThatThrownBy(() -> new InstallSnapshotResponse(B, A, 1, 0, 0, true))
        .hasMessageContaining("lastIncludedIndex");
    assertThatThrownBy(() -> new InstallSnapshotResponse(B, A, 1, 1, -1, true))
        .hasMessageContaining("nextOffset");
  }

  @Test
  void clusterResponsesSayWhatToDoNext() {
    assertThatThrownBy(
            () -> new JoinClusterResponse(1, ClusterOutcome.REDIRECT, Optional.empty(), ""))
        .hasMessageContaining("redirect must name the leader");
    assertThatThrownBy(
            () -> new ClusterConfigResponse(1, ClusterOutcome.REJECTED, Optional.empty(), ""))
        .hasMessageContaining("rejection must say why");
    String tooLong = "x".repeat(ClusterMessage.MAX_DETAIL_LENGTH + 1);
    assertThatThrownBy(() -> new JoinClusterResponse(1, ClusterOutcome.RETRY, LEADER, tooLong))
        .hasMessageContaining("at most 1024");
    assertThat(new JoinClusterResponse(1, ClusterOutcome.REDIRECT, LEADER, "").leader())
        .isEqualTo(LEADER);
  }

  @Test
  void addingANodeNeedsItsAddress() {
    assertThatThrownBy(() -> new ClusterConfig(1, ClusterConfig.Change.ADD, B, Optional.empty()))
        .hasMessageContaining("needs its address");
    assertThat(ClusterConfig.remove(1, B).address()).isEmpty();
    assertThat(ClusterConfig.add(1, B, NodeAddress.of("h", 2)).change())
        .isEqualTo(ClusterConfig.Change.ADD);
  }

  @Test
  void wireCodesAreStableAndUnknownCodesFail() {
    for (ClusterOutcome outcome : ClusterOutcome.values()) {
      assertThat(ClusterOutcome.fromCode(outcome.code())).isEqualTo(outcome);
    }
    assertThat(ClusterOutcome.OK.code()).isEqualTo((byte) 1);
    assertThat(ClusterOutcome.UNKNOWN.code()).isEqualTo((byte) 5);
    assertThat(ClusterConfig.Change.fromCode((byte) 2)).isEqualTo(ClusterConfig.Change.REMOVE);
    assertThatThrownBy(() -> ClusterOutcome.fromCode((byte) 0))
        .hasMessageContaining("unknown ClusterOutcome code 0");
  }

  private static InstallSnapshot chunk(long offset, byte[] data, long total, boolean done) {
    return new InstallSnapshot(A, B, 1, 10, 1, MEMBERS, offset, data, total, done, 7);
  }
}
