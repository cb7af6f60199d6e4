package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.WireCoded;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks the leader for one membership change, carried out with joint consensus (dissertation,
 * section 4.3): add {@code nodeId} at {@code address}, or remove {@code nodeId} (its address is
 * then optional). Sent by a node that received {@code ADD_NODE}/{@code REMOVE_NODE} or a JMX
 * operation while it is not the leader.
 */
public record ClusterConfig(
    long requestId, Change change, NodeId nodeId, Optional<NodeAddress> address)
    implements ClusterMessage {

  /** The kind of change; each has a stable one-byte wire code, never reused. */
  public enum Change implements WireCoded {
    ADD((byte) 1),
    REMOVE((byte) 2);

    private final byte code;

    Change(byte code) {
      this.code = code;
    }

    @Override
    public byte code() {
      return code;
    }

    /**
     * Returns the constant with the given code.
     *
     * @throws IllegalArgumentException if the code is unknown
     */
    public static Change fromCode(byte code) {
      return WireCoded.fromCode(Change.class, code);
    }
  }

  public ClusterConfig {
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    if (change == Change.ADD && address.isEmpty()) {
      throw new IllegalArgumentException("adding " + nodeId + " needs its address");
    }
  }

  public static ClusterConfig add(long requestId, NodeId nodeId, NodeAddress address) {
    return new ClusterConfig(requestId, Change.ADD, nodeId, Optional.of(address));
  }

  public static ClusterConfig remove(long requestId, NodeId nodeId) {
    return new ClusterConfig(requestId, Change.REMOVE, nodeId, Optional.empty());
  }
}
