package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a node must remember across restarts besides its log and snapshots: who it is (the
 * cluster it belongs to and its own UUID, created once on first start), the Raft hard state (term
 * and vote) and the latest membership it knows.
 *
 * @param clusterId the cluster this data directory belongs to; a node never joins another
 * @param nodeUuid created on first start and never changed; tells a wiped and re-created node from
 *     the one that held this data
 * @param term the current term (Raft paper, Figure 2)
 * @param votedFor the candidate voted for in {@code term}, if any
 * @param membership the latest configuration known, if any yet
 */
public record PersistentMeta(
    String clusterId,
    UUID nodeUuid,
    long term,
    Optional<NodeId> votedFor,
    Optional<Membership> membership) {

  /** Longest cluster id accepted; it is stored in every data directory of the cluster. */
  public static final int MAX_CLUSTER_ID_LENGTH = 128;

  public PersistentMeta {
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(nodeUuid, "nodeUuid");
    Objects.requireNonNull(votedFor, "votedFor");
    Objects.requireNonNull(membership, "membership");
    if (clusterId.isEmpty() || clusterId.length() > MAX_CLUSTER_ID_LENGTH) {
      throw new IllegalArgumentException(
          "cluster id must have 1.." + MAX_CLUSTER_ID_LENGTH + " characters: '" + clusterId + "'");
    }
    if (term < 0 || (term == 0 && votedFor.isPresent())) {
      throw new IllegalArgumentException("invalid term " + term + " with vote " + votedFor);
    }
  }

  /** The meta of a node on its very first start: term 0, no vote, no membership yet. */
  public static PersistentMeta initial(String clusterId, UUID nodeUuid) {
    return new PersistentMeta(clusterId, nodeUuid, 0, Optional.empty(), Optional.empty());
  }

  /** The term and vote, as the core takes them. */
  public HardState hardState() {
    return new HardState(term, votedFor);
  }

  /** This meta with another term and vote. */
  public PersistentMeta withHardState(HardState hardState) {
    return new PersistentMeta(
        clusterId, nodeUuid, hardState.term(), hardState.votedFor(), membership);
  }

  /** This meta with another membership. */
  public PersistentMeta withMembership(Membership newMembership) {
    return new PersistentMeta(clusterId, nodeUuid, term, votedFor, Optional.of(newMembership));
  }
}
