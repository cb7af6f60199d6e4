package io.tinykv.raft.jmx;

import java.util.Objects;
import javax.management.ConstructorParameters;

/**
 * One member of the cluster configuration as seen by a node. Immutable; mapped by the MXBean
 * framework to a {@code CompositeData} with the items {@code id}, {@code address}, {@code role} and
 * {@code self}, and reconstructed from it by MXBean proxies.
 */
public final class MemberInfo {
  private final String id;
  private final String address;
  private final String role;
  private final boolean self;

  /**
   * Creates a member description.
   *
   * @param id the member's node id
   * @param address the member's {@code host:port}, or an empty string if unknown
   * @param role the member's role as known to the describing node: {@code LEADER}, {@code
   *     FOLLOWER}, {@code PRE_CANDIDATE}, {@code CANDIDATE}, {@code LEARNER} or {@code UNKNOWN}
   * @param self whether this member is the node describing the configuration
   */
  @ConstructorParameters({"id", "address", "role", "self"})
  public MemberInfo(String id, String address, String role, boolean self) {
    this.id = Objects.requireNonNull(id, "id");
    this.address = Objects.requireNonNull(address, "address");
    this.role = Objects.requireNonNull(role, "role");
    this.self = self;
  }

  /** The member's node id. */
  public String getId() {
    return id;
  }

  /** The member's {@code host:port}, or an empty string if unknown. */
  public String getAddress() {
    return address;
  }

  /**
   * The member's role as known to the describing node: {@code LEADER}, {@code FOLLOWER}, {@code
   * PRE_CANDIDATE}, {@code CANDIDATE}, {@code LEARNER} or {@code UNKNOWN}.
   */
  public String getRole() {
    return role;
  }

  /** Whether this member is the node that describes the configuration. */
  public boolean isSelf() {
    return self;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof MemberInfo other
        && self == other.self
        && id.equals(other.id)
        && address.equals(other.address)
        && role.equals(other.role);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, address, role, self);
  }

  @Override
  public String toString() {
    return id + "@" + address + " " + role + (self ? " (self)" : "");
  }
}
