package io.tinykv.raft.node.server;

import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.api.RaftException;
import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.transport.netty.ClusterRequestHandler;
import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.ClusterMessage;
import io.tinykv.raft.protocol.message.ClusterOutcome;
import io.tinykv.raft.protocol.message.JoinCluster;
import io.tinykv.raft.protocol.message.JoinClusterResponse;
import io.tinykv.raft.protocol.message.QueryLeader;
import io.tinykv.raft.protocol.message.QueryLeaderResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the discovery requests of nodes that want to join (the seed's init scenario 3): {@code
 * QUERY_LEADER} from any member, and {@code JOIN_CLUSTER} on the leader, which adds the node as a
 * learner (promoted to voter once caught up).
 *
 * <p>A node id that is already a voter cannot join again: a voter that lost its data directory
 * would otherwise vote with a forgotten log. It must be removed first ({@code REMOVE_NODE}) and can
 * then join afresh.
 */
final class ClusterService implements ClusterRequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);

  private final RaftNode<?> node;
  private final Function<NodeId, Optional<NodeAddress>> addresses;

  ClusterService(RaftNode<?> node, Function<NodeId, Optional<NodeAddress>> addresses) {
    this.node = node;
    this.addresses = addresses;
  }

  @Override
  public CompletableFuture<ClusterMessage> handle(NodeId peer, ClusterMessage request) {
    RaftStatus raft = node.status().raft();
    if (request instanceof QueryLeader q) {
      return done(new QueryLeaderResponse(q.requestId(), raft.term(), leader(raft)));
    }
    if (request instanceof JoinCluster join) {
      return join(peer, join, raft);
    }
    return CompletableFuture.failedFuture(
        new IllegalArgumentException("not a request this node answers: " + request));
  }

  private CompletableFuture<ClusterMessage> join(NodeId peer, JoinCluster join, RaftStatus raft) {
    long requestId = join.requestId();
    if (!peer.equals(join.nodeId())) {
      return rejected(
          requestId, "the link belongs to " + peer + " but asks to join as " + join.nodeId());
    }
    Optional<Endpoint> leader = leader(raft);
    if (raft.role() != Role.LEADER) {
      return leader.isPresent()
          ? done(
              new JoinClusterResponse(requestId, ClusterOutcome.REDIRECT, leader, "ask the leader"))
          : done(
              new JoinClusterResponse(
                  requestId, ClusterOutcome.RETRY, Optional.empty(), "no leader right now"));
    }
    Membership members = raft.membership();
    NodeId id = join.nodeId();
    Optional<NodeAddress> known = members.address(id);
    if (members.isVoter(id)) {
      return rejected(
          requestId,
          id
              + " is already a voter; a voter that lost its data must not vote with an empty log:"
              + " remove it first (REMOVE_NODE "
              + id
              + "), then join again");
    }
    if (members.isMember(id)) {
      return known.isEmpty() || known.get().equals(join.address())
          ? done(new JoinClusterResponse(requestId, ClusterOutcome.OK, leader, "already a learner"))
          : rejected(requestId, id + " is already a learner at " + known.get());
    }
    Optional<NodeId> occupant = members.memberAt(join.address());
    if (occupant.isPresent()) {
      return rejected(requestId, join.address() + " is member " + occupant.get() + "'s address");
    }
    LOG.info(
        "{} asks to join at {} (node uuid {}); adding it as a learner",
        id,
        join.address(),
        join.nodeUuid());
    return node.addLearner(id, join.address())
        .handle(
            (m, failure) -> {
              if (failure == null) {
                return new JoinClusterResponse(
                    requestId, ClusterOutcome.OK, leader, "joined as a learner");
              }
              Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
              if (cause instanceof NotLeaderException nl && nl.leaderHint().isPresent()) {
                return new JoinClusterResponse(
                    requestId,
                    ClusterOutcome.REDIRECT,
                    endpoint(nl.leaderHint().get()),
                    "ask the leader");
              }
              boolean notApplied = cause instanceof RaftException r && r.definitelyNotApplied();
              return new JoinClusterResponse(
                  requestId,
                  notApplied ? ClusterOutcome.RETRY : ClusterOutcome.UNKNOWN,
                  Optional.empty(),
                  truncate(String.valueOf(cause.getMessage())));
            });
  }

  private Optional<Endpoint> leader(RaftStatus raft) {
    return raft.leader().flatMap(this::endpoint);
  }

  private Optional<Endpoint> endpoint(NodeId id) {
    return addresses.apply(id).map(a -> Endpoint.of(id, a));
  }

  private static CompletableFuture<ClusterMessage> rejected(long requestId, String why) {
    return done(
        new JoinClusterResponse(
            requestId, ClusterOutcome.REJECTED, Optional.empty(), truncate(why)));
  }

  private static String truncate(String detail) {
    return detail.length() <= ClusterMessage.MAX_DETAIL_LENGTH
        ? detail
        : detail.substring(0, ClusterMessage.MAX_DETAIL_LENGTH);
  }

  private static CompletableFuture<ClusterMessage> done(ClusterMessage m) {
    return CompletableFuture.completedFuture(m);
  }
}
