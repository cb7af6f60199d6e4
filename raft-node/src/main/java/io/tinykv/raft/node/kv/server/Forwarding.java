package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * When a request this node cannot serve goes to the leader. A request is forwarded only if this
 * node knows a leader other than itself and the request did not itself arrive forwarded (its
 * session is named {@value LeaderForwarder#SESSION_NAME}), so a request crosses at most one hop.
 */
final class Forwarding {

  private final Forwarder forwarder;
  private final ServerErrors errors;

  Forwarding(Forwarder forwarder, ServerErrors errors) {
    this.forwarder = forwarder;
    this.errors = errors;
  }

  /** Whether {@code session} is a forwarder's connection from another node. */
  static boolean arrivedForwarded(ClientSession session) {
    return LeaderForwarder.SESSION_NAME.equals(session.name());
  }

  /**
   * The reply to a request the node refused with {@code failure}: the leader's reply if the node
   * was simply not the leader and the request may be forwarded (nothing was proposed here, so the
   * leader proposes it at most once), else the error.
   */
  CompletableFuture<Reply> afterRejection(
      Throwable failure, RespRequest request, ClientSession session) {
    Throwable cause = ServerErrors.unwrap(failure);
    if (cause instanceof NotLeaderException e && e.reason() == RejectReason.NOT_LEADER) {
      return toLeader(e.leaderHint(), request, session);
    }
    return CompletableFuture.completedFuture(errors.of(cause));
  }

  /**
   * Forwards {@code request} to {@code leader} if allowed; otherwise replies {@code -NOLEADER},
   * naming the leader if one is known.
   */
  CompletableFuture<Reply> toLeader(
      Optional<NodeId> leader, RespRequest request, ClientSession session) {
    Optional<NodeId> target = errors.otherNode(leader);
    if (target.isEmpty()) {
      return CompletableFuture.completedFuture(errors.noLeader());
    }
    if (arrivedForwarded(session)) {
      return CompletableFuture.completedFuture(errors.notLeader(target.get()));
    }
    return forwarder.forward(target.get(), request);
  }
}
