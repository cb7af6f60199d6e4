package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.io.Output;
import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.message.ClusterConfig;
import io.tinykv.raft.protocol.message.ClusterConfigResponse;
import io.tinykv.raft.protocol.message.ClusterMessage;
import io.tinykv.raft.protocol.message.ClusterOutcome;
import io.tinykv.raft.protocol.message.JoinCluster;
import io.tinykv.raft.protocol.message.JoinClusterResponse;
import io.tinykv.raft.protocol.message.QueryLeader;
import io.tinykv.raft.protocol.message.QueryLeaderResponse;
import java.util.Optional;

/**
 * Wire serializers of the {@link ClusterMessage}s, following the same rules as {@link
 * RaftMessageWire}: record components in declaration order, request ids as signed varints.
 */
final class ClusterMessageWire {

  private ClusterMessageWire() {}

  static void writeQueryLeader(Output out, QueryLeader m) {
    out.writeVarLong(m.requestId(), false);
  }

  static QueryLeader readQueryLeader(ByteBufInput in) {
    return new QueryLeader(in.readVarLong(false));
  }

  static void writeQueryLeaderResponse(Output out, QueryLeaderResponse m) {
    out.writeVarLong(m.requestId(), false);
    out.writeVarLong(m.term(), true);
    Wire.writeOptional(out, m.leader(), Wire::writeEndpoint);
  }

  static QueryLeaderResponse readQueryLeaderResponse(ByteBufInput in) {
    return new QueryLeaderResponse(
        in.readVarLong(false), in.readVarLong(true), Wire.readOptional(in, Wire::readEndpoint));
  }

  static void writeJoinCluster(Output out, JoinCluster m) {
    out.writeVarLong(m.requestId(), false);
    Wire.writeNodeId(out, m.nodeId());
    Wire.writeAddress(out, m.address());
    Wire.writeUuid(out, m.nodeUuid());
  }

  static JoinCluster readJoinCluster(ByteBufInput in) {
    return new JoinCluster(
        in.readVarLong(false), Wire.readNodeId(in), Wire.readAddress(in), Wire.readUuid(in));
  }

  static void writeJoinClusterResponse(Output out, JoinClusterResponse m) {
    writeResponse(out, m.requestId(), m.outcome(), m.leader(), m.detail());
  }

  static JoinClusterResponse readJoinClusterResponse(ByteBufInput in) {
    return readResponse(in, JoinClusterResponse::new);
  }

  static void writeClusterConfig(Output out, ClusterConfig m) {
    out.writeVarLong(m.requestId(), false);
    Wire.writeCode(out, m.change());
    Wire.writeNodeId(out, m.nodeId());
    Wire.writeOptional(out, m.address(), Wire::writeAddress);
  }

  static ClusterConfig readClusterConfig(ByteBufInput in) {
    return new ClusterConfig(
        in.readVarLong(false),
        Wire.readCode(in, ClusterConfig.Change.class),
        Wire.readNodeId(in),
        Wire.readOptional(in, Wire::readAddress));
  }

  static void writeClusterConfigResponse(Output out, ClusterConfigResponse m) {
    writeResponse(out, m.requestId(), m.outcome(), m.leader(), m.detail());
  }

  static ClusterConfigResponse readClusterConfigResponse(ByteBufInput in) {
    return readResponse(in, ClusterConfigResponse::new);
  }

  /** requestId, outcome, leader hint, detail: the components of both cluster responses. */
  private static void writeResponse(
      Output out,
      long requestId,
      ClusterOutcome outcome,
      Optional<Endpoint> leader,
      String detail) {
    out.writeVarLong(requestId, false);
    Wire.writeCode(out, outcome);
    Wire.writeOptional(out, leader, Wire::writeEndpoint);
    Wire.writeString(out, detail);
  }

  private static <T> T readResponse(ByteBufInput in, ResponseConstructor<T> constructor) {
    return constructor.create(
        in.readVarLong(false),
        Wire.readCode(in, ClusterOutcome.class),
        Wire.readOptional(in, Wire::readEndpoint),
        Wire.readString(in));
  }

  /** The canonical constructor shared by both cluster responses. */
  @FunctionalInterface
  private interface ResponseConstructor<T> {
    T create(long requestId, ClusterOutcome outcome, Optional<Endpoint> leader, String detail);
  }
}
