package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.Endpoint;
import java.util.Optional;

/**
 * The answer to {@link ClusterConfig}: {@link ClusterOutcome#OK} once the new configuration is
 * committed, {@link ClusterOutcome#REDIRECT} to the {@code leader}, or a failure with a
 * human-readable {@code detail} ({@link ClusterOutcome#UNKNOWN} when the change was proposed but
 * its commit could not be confirmed).
 */
public record ClusterConfigResponse(
    long requestId, ClusterOutcome outcome, Optional<Endpoint> leader, String detail)
    implements ClusterMessage {

  public ClusterConfigResponse {
    Messages.requireOutcome(outcome, leader, detail);
  }
}
