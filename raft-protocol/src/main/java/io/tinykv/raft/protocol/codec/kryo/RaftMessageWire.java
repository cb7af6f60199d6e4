package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import java.util.ArrayList;
import java.util.List;

/**
 * Wire serializers of the {@link RaftMessage}s. Each message writes its record components in
 * declaration order (field encodings on {@link Wire}); each reader reads them back in the same
 * order (Java evaluates constructor arguments left to right). To add a field, add one line to the
 * message's writer and one argument to its reader, and see the package documentation on versions.
 */
final class RaftMessageWire {

  /** Initial capacity bound for the entry list, so a forged count cannot make it allocate. */
  private static final int MAX_INITIAL_ENTRIES = 1024;

  private RaftMessageWire() {}

  /** from, to, term: the first three components of every Raft message. */
  private static void writeHeader(Output out, RaftMessage m) {
    Wire.writeNodeId(out, m.from());
    Wire.writeNodeId(out, m.to());
    out.writeVarLong(m.term(), true);
  }

  static void writeRequestVote(Output out, RequestVote m) {
    writeHeader(out, m);
    out.writeVarLong(m.lastLogIndex(), true);
    out.writeVarLong(m.lastLogTerm(), true);
    Wire.writeBoolean(out, m.preVote());
    Wire.writeBoolean(out, m.leadershipTransfer());
  }

  static RequestVote readRequestVote(ByteBufInput in) {
    return new RequestVote(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        in.readVarLong(true),
        in.readVarLong(true),
        Wire.readBoolean(in),
        Wire.readBoolean(in));
  }

  static void writeRequestVoteResponse(Output out, RequestVoteResponse m) {
    writeHeader(out, m);
    Wire.writeBoolean(out, m.preVote());
    Wire.writeBoolean(out, m.granted());
  }

  static RequestVoteResponse readRequestVoteResponse(ByteBufInput in) {
    return new RequestVoteResponse(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        Wire.readBoolean(in),
        Wire.readBoolean(in));
  }

  /**
   * Entries are contiguous after {@code prevLogIndex} (an invariant of {@link AppendEntries}), so
   * an entry's index is not sent: entry i has index {@code prevLogIndex + 1 + i}. Each entry is
   * term, type code, signed timestamp, payload.
   */
  static void writeAppendEntries(Output out, AppendEntries m) {
    writeHeader(out, m);
    out.writeVarLong(m.prevLogIndex(), true);
    out.writeVarLong(m.prevLogTerm(), true);
    out.writeVarInt(m.entries().size(), true);
    for (LogEntry entry : m.entries()) {
      out.writeVarLong(entry.term(), true);
      Wire.writeCode(out, entry.type());
      out.writeVarLong(entry.timestamp(), false);
      Wire.writeBytes(out, entry.payload());
    }
    out.writeVarLong(m.leaderCommit(), true);
  }

  static AppendEntries readAppendEntries(ByteBufInput in) {
    NodeId from = Wire.readNodeId(in);
    NodeId to = Wire.readNodeId(in);
    long term = in.readVarLong(true);
    long prevLogIndex = in.readVarLong(true);
    long prevLogTerm = in.readVarLong(true);
    int count = Wire.readCount(in);
    List<LogEntry> entries = new ArrayList<>(Math.min(count, MAX_INITIAL_ENTRIES));
    for (int i = 0; i < count; i++) {
      entries.add(
          new LogEntry(
              prevLogIndex + 1 + i,
              in.readVarLong(true),
              Wire.readCode(in, EntryType.class),
              in.readVarLong(false),
              Wire.readBytes(in)));
    }
    long leaderCommit = in.readVarLong(true);
    return new AppendEntries(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit);
  }

  static void writeAppendEntriesResponse(Output out, AppendEntriesResponse m) {
    writeHeader(out, m);
    Wire.writeBoolean(out, m.success());
    out.writeVarLong(m.index(), true);
    out.writeVarLong(m.hintIndex(), true);
    out.writeVarLong(m.hintTerm(), true);
  }

  static AppendEntriesResponse readAppendEntriesResponse(ByteBufInput in) {
    return new AppendEntriesResponse(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        Wire.readBoolean(in),
        in.readVarLong(true),
        in.readVarLong(true),
        in.readVarLong(true));
  }

  static void writeHeartbeat(Output out, Heartbeat m) {
    writeHeader(out, m);
    out.writeVarLong(m.commit(), true);
    out.writeVarLong(m.readContext(), true);
  }

  static Heartbeat readHeartbeat(ByteBufInput in) {
    return new Heartbeat(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        in.readVarLong(true),
        in.readVarLong(true));
  }

  static void writeHeartbeatResponse(Output out, HeartbeatResponse m) {
    writeHeader(out, m);
    out.writeVarLong(m.readContext(), true);
  }

  static HeartbeatResponse readHeartbeatResponse(ByteBufInput in) {
    return new HeartbeatResponse(
        Wire.readNodeId(in), Wire.readNodeId(in), in.readVarLong(true), in.readVarLong(true));
  }

  static void writeReadIndex(Output out, ReadIndex m) {
    writeHeader(out, m);
    out.writeVarLong(m.requestId(), false);
  }

  static ReadIndex readReadIndex(ByteBufInput in) {
    return new ReadIndex(
        Wire.readNodeId(in), Wire.readNodeId(in), in.readVarLong(true), in.readVarLong(false));
  }

  static void writeReadIndexResponse(Output out, ReadIndexResponse m) {
    writeHeader(out, m);
    out.writeVarLong(m.requestId(), false);
    Wire.writeBoolean(out, m.success());
    out.writeVarLong(m.readIndex(), true);
  }

  static ReadIndexResponse readReadIndexResponse(ByteBufInput in) {
    return new ReadIndexResponse(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        in.readVarLong(false),
        Wire.readBoolean(in),
        in.readVarLong(true));
  }

  static void writeTimeoutNow(Output out, TimeoutNow m) {
    writeHeader(out, m);
  }

  static TimeoutNow readTimeoutNow(ByteBufInput in) {
    return new TimeoutNow(Wire.readNodeId(in), Wire.readNodeId(in), in.readVarLong(true));
  }

  /**
   * The chunk's CRC32C follows the other components and is checked against the data received, so a
   * corrupted chunk fails to decode.
   */
  static void writeInstallSnapshot(Output out, InstallSnapshot m) {
    writeHeader(out, m);
    out.writeVarLong(m.lastIncludedIndex(), true);
    out.writeVarLong(m.lastIncludedTerm(), true);
    Wire.writeMembership(out, m.membership());
    out.writeVarLong(m.offset(), true);
    Wire.writeBytes(out, m.data());
    out.writeVarLong(m.totalSize(), true);
    Wire.writeBoolean(out, m.done());
    out.writeInt(m.snapshotCrc32c());
    out.writeInt(m.chunkCrc32c());
  }

  static InstallSnapshot readInstallSnapshot(ByteBufInput in) {
    InstallSnapshot m =
        new InstallSnapshot(
            Wire.readNodeId(in),
            Wire.readNodeId(in),
            in.readVarLong(true),
            in.readVarLong(true),
            in.readVarLong(true),
            Wire.readMembership(in),
            in.readVarLong(true),
            Wire.readBytes(in),
            in.readVarLong(true),
            Wire.readBoolean(in),
            in.readInt());
    int chunkCrc32c = in.readInt();
    if (chunkCrc32c != m.chunkCrc32c()) {
      throw new KryoException("snapshot chunk at offset " + m.offset() + " fails its checksum");
    }
    return m;
  }

  static void writeInstallSnapshotResponse(Output out, InstallSnapshotResponse m) {
    writeHeader(out, m);
    out.writeVarLong(m.lastIncludedIndex(), true);
    out.writeVarLong(m.nextOffset(), true);
    Wire.writeBoolean(out, m.success());
  }

  static InstallSnapshotResponse readInstallSnapshotResponse(ByteBufInput in) {
    return new InstallSnapshotResponse(
        Wire.readNodeId(in),
        Wire.readNodeId(in),
        in.readVarLong(true),
        in.readVarLong(true),
        in.readVarLong(true),
        Wire.readBoolean(in));
  }
}
