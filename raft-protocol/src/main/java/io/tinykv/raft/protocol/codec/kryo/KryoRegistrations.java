package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.ClusterConfig;
import io.tinykv.raft.protocol.message.ClusterConfigResponse;
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
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one table of wire registration ids. The id of a message is the first thing of its frame body
 * and names its type to every node of every version, so:
 *
 * <p><b>An id is never changed and never reused.</b> A new message takes the next free id of its
 * range; a retired message's id stays listed in {@link #RETIRED_IDS} forever. Ids are explicit, not
 * registration order, so the order of this table does not matter. Ids 0-31 are left to Kryo's own
 * default registrations (primitives and {@code String}, which no frame may carry); Raft messages
 * use 32-63 and cluster messages 64-95, all one-byte varints.
 */
final class KryoRegistrations {

  /** A message type, its fixed id and its hand-written serializer. */
  record WireType<T extends PeerMessage>(
      int id, Class<T> type, BiConsumer<Output, T> writer, Function<ByteBufInput, T> reader) {}

  static final List<WireType<?>> TABLE =
      List.of(
          // io.tinykv.raft.protocol.message.RaftMessage: 32-63
          new WireType<>(
              32,
              RequestVote.class,
              RaftMessageWire::writeRequestVote,
              RaftMessageWire::readRequestVote),
          new WireType<>(
              33,
              RequestVoteResponse.class,
              RaftMessageWire::writeRequestVoteResponse,
              RaftMessageWire::readRequestVoteResponse),
          new WireType<>(
              34,
              AppendEntries.class,
              RaftMessageWire::writeAppendEntries,
              RaftMessageWire::readAppendEntries),
          new WireType<>(
              35,
              AppendEntriesResponse.class,
              RaftMessageWire::writeAppendEntriesResponse,
              RaftMessageWire::readAppendEntriesResponse),
          new WireType<>(
              36, Heartbeat.class, RaftMessageWire::writeHeartbeat, RaftMessageWire::readHeartbeat),
          new WireType<>(
              37,
              HeartbeatResponse.class,
              RaftMessageWire::writeHeartbeatResponse,
              RaftMessageWire::readHeartbeatResponse),
          new WireType<>(
              38, ReadIndex.class, RaftMessageWire::writeReadIndex, RaftMessageWire::readReadIndex),
          new WireType<>(
              39,
              ReadIndexResponse.class,
              RaftMessageWire::writeReadIndexResponse,
              RaftMessageWire::readReadIndexResponse),
          new WireType<>(
              40,
              TimeoutNow.class,
              RaftMessageWire::writeTimeoutNow,
              RaftMessageWire::readTimeoutNow),
          new WireType<>(
              41,
              InstallSnapshot.class,
              RaftMessageWire::writeInstallSnapshot,
              RaftMessageWire::readInstallSnapshot),
          new WireType<>(
              42,
              InstallSnapshotResponse.class,
              RaftMessageWire::writeInstallSnapshotResponse,
              RaftMessageWire::readInstallSnapshotResponse),
          // io.tinykv.raft.protocol.message.ClusterMessage: 64-95
          new WireType<>(
              64,
              QueryLeader.class,
              ClusterMessageWire::writeQueryLeader,
              ClusterMessageWire::readQueryLeader),
          new WireType<>(
              65,
              QueryLeaderResponse.class,
              ClusterMessageWire::writeQueryLeaderResponse,
              ClusterMessageWire::readQueryLeaderResponse),
          new WireType<>(
              66,
              JoinCluster.class,
              ClusterMessageWire::writeJoinCluster,
              ClusterMessageWire::readJoinCluster),
          new WireType<>(
              67,
              JoinClusterResponse.class,
              ClusterMessageWire::writeJoinClusterResponse,
              ClusterMessageWire::readJoinClusterResponse),
          new WireType<>(
              68,
              ClusterConfig.class,
              ClusterMessageWire::writeClusterConfig,
              ClusterMessageWire::readClusterConfig),
          new WireType<>(
              69,
              ClusterConfigResponse.class,
              ClusterMessageWire::writeClusterConfigResponse,
              ClusterMessageWire::readClusterConfigResponse));

  /** Ids of messages that no longer exist; never to be given to another message. */
  static final List<Integer> RETIRED_IDS = List.of();

  /** Ids below this are Kryo's own. */
  static final int FIRST_ID = 32;

  private KryoRegistrations() {}

  /** A Kryo that knows exactly the messages of {@link #TABLE}, each under its id. */
  static Kryo newKryo() {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    kryo.setReferences(false);
    for (WireType<?> type : TABLE) {
      register(kryo, type);
    }
    return kryo;
  }

  private static <T extends PeerMessage> void register(Kryo kryo, WireType<T> type) {
    if (type.id() < FIRST_ID || RETIRED_IDS.contains(type.id())) {
      throw new IllegalStateException("id " + type.id() + " may not be used");
    }
    if (kryo.getRegistration(type.id()) != null) {
      throw new IllegalStateException(
          "id " + type.id() + " is already taken by " + kryo.getRegistration(type.id()).getType());
    }
    kryo.register(type.type(), new WireSerializer<>(type.writer(), type.reader()), type.id());
  }

  /** Adapts a message's writer and reader to Kryo; messages are immutable and never null. */
  private static final class WireSerializer<T> extends Serializer<T> {

    private final BiConsumer<Output, T> writer;
    private final Function<ByteBufInput, T> reader;

    WireSerializer(BiConsumer<Output, T> writer, Function<ByteBufInput, T> reader) {
      super(false, true);
      this.writer = Objects.requireNonNull(writer);
      this.reader = Objects.requireNonNull(reader);
    }

    @Override
    public void write(Kryo kryo, Output output, T value) {
      writer.accept(output, value);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
      return reader.apply((ByteBufInput) input);
    }
  }
}
