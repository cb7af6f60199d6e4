package io.tinykv.raft.protocol.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.MessageDecodeException;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.ClusterConfig;
import io.tinykv.raft.protocol.message.ClusterConfigResponse;
import io.tinykv.raft.protocol.message.ClusterOutcome;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.JoinCluster;
import io.tinykv.raft.protocol.message.JoinClusterResponse;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.QueryLeader;
import io.tinykv.raft.protocol.message.QueryLeaderResponse;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the body bytes of every message type, so that a change of wire format is a deliberate act
 * (see the package documentation) and not the side effect of a refactoring. The hex is grouped by
 * field; "n1" is {@code 02 6e31} (length, UTF-8).
 */
class WireFormatTest {

  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");
  private static final NodeId N3 = NodeId.of("n3");
  private static final Endpoint LEADER = Endpoint.of(N1, NodeAddress.of("h", 8001));

  static Stream<Arguments> pinned() {
    return Stream.of(
        pin(new RequestVote(N1, N2, 5, 10, 4, true, false), "20 026e31 026e32 05 0a 04 01 00"),
        pin(new RequestVoteResponse(N2, N1, 5, true, true), "21 026e32 026e31 05 01 01"),
        pin(
            new AppendEntries(
                N1,
                N2,
                5,
                10,
                4,
                List.of(
                    LogEntry.command(11, 5, -1, new byte[] {7, 8}),
                    new LogEntry(12, 5, EntryType.NO_OP, 3, null)),
                9),
            "22 026e31 026e32 05 0a 04 02 [05 01 01 02 0708] [05 03 06 00] 09"),
        pin(
            new AppendEntriesResponse(N2, N1, 5, false, 10, 7, 3),
            "23 026e32 026e31 05 00 0a 07 03"),
        pin(new Heartbeat(N1, N2, 5, 9, 300), "24 026e31 026e32 05 09 ac02"),
        pin(new HeartbeatResponse(N2, N1, 5, 300), "25 026e32 026e31 05 ac02"),
        pin(new ReadIndex(N2, N1, 5, -2), "26 026e32 026e31 05 03"),
        pin(new ReadIndexResponse(N1, N2, 5, 77, true, 9), "27 026e31 026e32 05 9a01 01 09"),
        pin(new TimeoutNow(N1, N2, 5), "28 026e31 026e32 05"),
        pin(
            new InstallSnapshot(
                N1,
                N2,
                5,
                100,
                4,
                new Membership(
                    Set.of(N1, N2), Set.of(N1), Set.of(N3), Map.of(N3, NodeAddress.of("h", 8003))),
                8,
                new byte[] {1, 2, 3, 4},
                12,
                true,
                0x12345678),
            "29 026e31 026e32 05 64 04 [02 026e31 026e32] [01 026e31] [01 026e33]"
                + " [01 026e33 0168 c33e] 08 04 01020304 0c"
                + " 01 78563412 f48c3029"),
        pin(new InstallSnapshotResponse(N2, N1, 5, 100, 64, false), "2a 026e32 026e31 05 64 40 00"),
        pin(new QueryLeader(1), "40 02"),
        pin(new QueryLeaderResponse(1, 5, Optional.of(LEADER)), "41 02 05 01 026e31 0168 c13e"),
        pin(
            new JoinCluster(2, N2, NodeAddress.of("h", 8002), new UUID(1, 2)),
            "42 04 026e32 0168 c23e 0100000000000000 0200000000000000"),
        pin(
            new JoinClusterResponse(3, ClusterOutcome.REDIRECT, Optional.of(LEADER), "go"),
            "43 06 02 01 026e31 0168 c13e 02676f"),
        pin(ClusterConfig.remove(4, N3), "44 08 02 026e33 00"),
        pin(
            new ClusterConfigResponse(5, ClusterOutcome.REJECTED, Optional.empty(), "no"),
            "45 0a 04 00 026e6f"));
  }

  @ParameterizedTest
  @MethodSource("pinned")
  void bodyBytesArePinned(PeerMessage message, String hex) throws MessageDecodeException {
    KryoMessageCodec codec = new KryoMessageCodec();
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(message, buf);
      assertThat(ByteBufUtil.hexDump(buf)).isEqualTo(compact(hex));
      assertThat(codec.decode(buf)).isEqualTo(message);
    } finally {
      buf.release();
    }
  }

  private static Arguments pin(PeerMessage message, String hex) {
    return Arguments.of(message, hex);
  }

  private static String compact(String hex) {
    String digits = hex.replaceAll("[\\s\\[\\]]", "");
    return HexFormat.of().formatHex(HexFormat.of().parseHex(digits));
  }
}
