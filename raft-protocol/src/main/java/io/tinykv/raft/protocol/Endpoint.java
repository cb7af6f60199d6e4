package io.tinykv.raft.protocol;

import java.util.Objects;

/**
 * A node and where to reach it: what a leader hint or a membership change names, so that the
 * receiver can connect without another lookup.
 */
public record Endpoint(NodeId id, NodeAddress address) {

  public Endpoint {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }

  public static Endpoint of(NodeId id, NodeAddress address) {
    return new Endpoint(id, address);
  }

  @Override
  public String toString() {
    return id + "@" + address;
  }
}
