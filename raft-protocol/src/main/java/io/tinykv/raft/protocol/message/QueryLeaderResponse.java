package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.Endpoint;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to {@link QueryLeader}: the leader the answering node knows of in {@code term}, or
 * empty while it knows none (during an election); the asker should then retry.
 */
public record QueryLeaderResponse(long requestId, long term, Optional<Endpoint> leader)
    implements ClusterMessage {

  public QueryLeaderResponse {
    Messages.requireNonNegative(term, "term");
    Objects.requireNonNull(leader, "leader");
  }
}
