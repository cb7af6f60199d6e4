package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.Endpoint;
import java.util.Optional;

/**
 * The answer to {@link JoinCluster}: {@link ClusterOutcome#OK} once the joiner is a member, {@link
 * ClusterOutcome#REDIRECT} to the {@code leader}, or a failure with a human-readable {@code detail}
 * (see {@link ClusterOutcome} for what each means to the caller).
 */
public record JoinClusterResponse(
    long requestId, ClusterOutcome outcome, Optional<Endpoint> leader, String detail)
    implements ClusterMessage {

  public JoinClusterResponse {
    Messages.requireOutcome(outcome, leader, detail);
  }
}
