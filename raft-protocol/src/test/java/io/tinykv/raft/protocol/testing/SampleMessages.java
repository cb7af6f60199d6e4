package io.tinykv.raft.protocol.testing;

import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Messages of every type for codec tests: for each type a typical instance, an empty or minimal
 * one, and one at the boundaries (largest values, longest multi-byte ids, large payloads).
 */
public final class SampleMessages {

  public static final NodeId A = NodeId.of("n1");
  public static final NodeId B = NodeId.of("10.0.0.2:8002");

  /** The longest id, of two-byte UTF-8 characters. */
  public static final NodeId LONG_ID = NodeId.of("é".repeat(NodeId.MAX_LENGTH));

  /** The longest id, of four-byte UTF-8 characters (surrogate pairs). */
  public static final NodeId EMOJI_ID = NodeId.of("\uD83D\uDE80".repeat(NodeId.MAX_LENGTH / 2));

  private static final long MAX = Long.MAX_VALUE;
  private static final int ONE_MIB = 1 << 20;

  private SampleMessages() {}

  /** The typical instance of each type, one per type. */
  public static List<PeerMessage> typical() {
    Endpoint leader = Endpoint.of(A, NodeAddress.of("10.0.0.1", 8001));
    return List.of(
        new RequestVote(A, B, 5, 10, 4, false, false),
        new RequestVoteResponse(B, A, 5, false, true),
        new AppendEntries(
            A,
            B,
            5,
            10,
            4,
            List.of(
                LogEntry.command(11, 5, 1_700_000_000_000L, bytes(3, 1)),
                new LogEntry(12, 5, EntryType.CONFIGURATION, 1_700_000_000_001L, bytes(5, 2)),
                LogEntry.noOp(13, 5, 1_700_000_000_002L)),
            9),
        new AppendEntriesResponse(B, A, 5, false, 10, 7, 3),
        new Heartbeat(A, B, 5, 9, 42),
        new HeartbeatResponse(B, A, 5, 42),
        new ReadIndex(B, A, 5, 77),
        new ReadIndexResponse(A, B, 5, 77, true, 9),
        new TimeoutNow(A, B, 5),
        new InstallSnapshot(A, B, 5, 100, 4, joint(), 0, bytes(64, 3), 128, false, 0x1234_5678),
        new InstallSnapshotResponse(B, A, 5, 100, 64, true),
        new QueryLeader(1),
        new QueryLeaderResponse(1, 5, Optional.of(leader)),
        new JoinCluster(2, B, NodeAddress.of("10.0.0.2", 8002), new UUID(1, 2)),
        new JoinClusterResponse(2, ClusterOutcome.REDIRECT, Optional.of(leader), "ask the leader"),
        ClusterConfig.add(3, B, NodeAddress.of("::1", 8002)),
        new ClusterConfigResponse(3, ClusterOutcome.OK, Optional.empty(), ""));
  }

  /** Empty, minimal and boundary instances; several per type. */
  public static List<PeerMessage> edgeCases() {
    List<PeerMessage> all = new ArrayList<>();
    all.add(new RequestVote(A, B, 0, 0, 0, true, true));
    all.add(new RequestVote(LONG_ID, EMOJI_ID, MAX, MAX, MAX, true, false));
    all.add(new RequestVoteResponse(EMOJI_ID, LONG_ID, MAX, true, false));
    all.add(new AppendEntries(A, B, 1, 0, 0, List.of(), 0));
    all.add(
        new AppendEntries(
            LONG_ID,
            EMOJI_ID,
            MAX,
            MAX - 2,
            MAX,
            List.of(
                LogEntry.command(MAX - 1, MAX, Long.MIN_VALUE, new byte[0]),
                LogEntry.command(MAX, MAX, Long.MAX_VALUE, bytes(1, 4))),
            MAX));
    all.add(
        new AppendEntries(
            A, B, 3, 0, 0, List.of(LogEntry.command(1, 3, -1, bytes(ONE_MIB, 5))), 0));
    all.add(new AppendEntries(A, B, 3, 500, 2, manySmallEntries(501, 1000), 1500));
    all.add(new AppendEntriesResponse(B, A, MAX, true, MAX, MAX, MAX));
    all.add(AppendEntriesResponse.accept(B, A, 0, 0));
    all.add(new Heartbeat(A, B, 0, 0, 0));
    all.add(new Heartbeat(A, B, MAX, MAX, MAX));
    all.add(new HeartbeatResponse(B, A, MAX, MAX));
    all.add(new ReadIndex(B, A, 0, Long.MIN_VALUE));
    all.add(new ReadIndexResponse(A, B, MAX, Long.MAX_VALUE, false, MAX));
    all.add(new TimeoutNow(LONG_ID, EMOJI_ID, MAX));
    all.add(new InstallSnapshot(A, B, 1, 1, 1, single(), 0, null, 0, true, 0));
    all.add(
        new InstallSnapshot(
            A, B, MAX, MAX, MAX, joint(), MAX - ONE_MIB, bytes(ONE_MIB, 6), MAX, true, -1));
    all.add(new InstallSnapshotResponse(B, A, 0, 1, 0, false));
    all.add(new InstallSnapshotResponse(B, A, MAX, MAX, MAX, true));
    all.add(new QueryLeader(Long.MIN_VALUE));
    all.add(new QueryLeaderResponse(Long.MAX_VALUE, 0, Optional.empty()));
    all.add(
        new QueryLeaderResponse(
            -1, MAX, Optional.of(Endpoint.of(LONG_ID, NodeAddress.of("h".repeat(255), 65_535)))));
    all.add(new JoinCluster(0, EMOJI_ID, NodeAddress.of("a", 1), new UUID(-1, Long.MIN_VALUE)));
    all.add(new JoinClusterResponse(0, ClusterOutcome.OK, Optional.empty(), ""));
    all.add(
        new JoinClusterResponse(
            -5, ClusterOutcome.REJECTED, Optional.empty(), "détail ✓".repeat(128)));
    all.add(ClusterConfig.remove(Long.MIN_VALUE, LONG_ID));
    all.add(
        new ClusterConfig(
            7, ClusterConfig.Change.REMOVE, A, Optional.of(NodeAddress.of("::1", 8001))));
    all.add(
        new ClusterConfigResponse(
            Long.MAX_VALUE,
            ClusterOutcome.UNKNOWN,
            Optional.of(Endpoint.of(A, NodeAddress.of("x", 2))),
            "timed out"));
    all.add(new ClusterConfigResponse(1, ClusterOutcome.RETRY, Optional.empty(), "busy"));
    return all;
  }

  /** Every sample. */
  public static List<PeerMessage> all() {
    List<PeerMessage> all = new ArrayList<>(typical());
    all.addAll(edgeCases());
    return all;
  }

  /** Deterministic pseudo-random bytes. */
  public static byte[] bytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static List<LogEntry> manySmallEntries(long firstIndex, int count) {
    List<LogEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(LogEntry.command(firstIndex + i, 2, i, bytes(i % 100, i)));
    }
    return entries;
  }

  private static Membership single() {
    return Membership.ofVoters(Set.of(A));
  }

  private static Membership joint() {
    return new Membership(Set.of(A, B), Set.of(A, LONG_ID), Set.of(EMOJI_ID));
  }
}
