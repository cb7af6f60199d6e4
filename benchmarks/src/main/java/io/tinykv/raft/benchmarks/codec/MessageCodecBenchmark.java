package io.tinykv.raft.benchmarks.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.MessageCodec;
import io.tinykv.raft.protocol.codec.MessageDecodeException;
import io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Kryo wire codec, per message type: encoding into a reused buffer and decoding from one. The
 * Raft hot path is {@code AppendEntries} (here with 1 and with 100 entries of 100 bytes) and its
 * response; the rest are shown for completeness. Average time per message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class MessageCodecBenchmark {

  static final NodeId LEADER = NodeId.of("n1");
  static final NodeId FOLLOWER = NodeId.of("n2");

  @Param({
    "AppendEntries-1x100B",
    "AppendEntries-100x100B",
    "AppendEntriesResponse",
    "Heartbeat",
    "HeartbeatResponse",
    "RequestVote",
    "RequestVoteResponse",
    "ReadIndex",
    "ReadIndexResponse",
    "TimeoutNow",
    "InstallSnapshot-256KiB"
  })
  public String type;

  private final MessageCodec codec = new KryoMessageCodec();
  private PeerMessage message;
  private ByteBuf out;
  private ByteBuf encoded;

  /** A typical message of each type (terms and indexes of a cluster that has run a while). */
  static PeerMessage sample(String type) {
    return switch (type) {
      case "AppendEntries-1x100B" ->
          new AppendEntries(LEADER, FOLLOWER, 7, 1_000_000, 7, entries(1_000_001, 1), 1_000_000);
      case "AppendEntries-100x100B" ->
          new AppendEntries(LEADER, FOLLOWER, 7, 1_000_000, 7, entries(1_000_001, 100), 999_990);
      case "AppendEntriesResponse" -> AppendEntriesResponse.accept(FOLLOWER, LEADER, 7, 1_000_100);
      case "Heartbeat" -> new Heartbeat(LEADER, FOLLOWER, 7, 1_000_000, 4242);
      case "HeartbeatResponse" -> new HeartbeatResponse(FOLLOWER, LEADER, 7, 4242);
      case "RequestVote" -> new RequestVote(LEADER, FOLLOWER, 8, 1_000_100, 7, true, false);
      case "RequestVoteResponse" -> new RequestVoteResponse(FOLLOWER, LEADER, 8, false, true);
      case "ReadIndex" -> new ReadIndex(FOLLOWER, LEADER, 7, 99);
      case "ReadIndexResponse" -> new ReadIndexResponse(LEADER, FOLLOWER, 7, 99, true, 1_000_100);
      case "TimeoutNow" -> new TimeoutNow(LEADER, FOLLOWER, 7);
      case "InstallSnapshot-256KiB" ->
          new InstallSnapshot(
              LEADER,
              FOLLOWER,
              7,
              1_000_000,
              7,
              Membership.ofVoters(Set.of(LEADER, FOLLOWER, NodeId.of("n3"))),
              0,
              bytes(256 << 10),
              4 << 20,
              false,
              0x1234_5678);
      default -> throw new IllegalArgumentException("no sample of " + type);
    };
  }

  private static List<LogEntry> entries(long first, int count) {
    List<LogEntry> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      entries.add(LogEntry.command(first + i, 7, 1_700_000_000_000L + i, bytes(100)));
    }
    return entries;
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  @Setup
  public void setUp() {
    message = sample(type);
    out = Unpooled.buffer(codec.sizeHint(message));
    encoded = Unpooled.buffer(codec.sizeHint(message));
    codec.encode(message, encoded);
  }

  @TearDown
  public void tearDown() {
    out.release();
    encoded.release();
  }

  @Benchmark
  public ByteBuf encode() {
    out.clear();
    codec.encode(message, out);
    return out;
  }

  @Benchmark
  public PeerMessage decode() throws MessageDecodeException {
    encoded.readerIndex(0);
    return codec.decode(encoded);
  }
}
