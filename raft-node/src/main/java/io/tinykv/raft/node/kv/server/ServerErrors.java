package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.api.ProposalDroppedException;
import io.tinykv.raft.node.api.RaftException;
import io.tinykv.raft.node.api.ReadFailedException;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.Reply.ErrorReply;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error replies of the cluster, each saying whether the request took effect and what to do next
 * (DESIGN.md, "Client commands"). The codes clients can act on:
 *
 * <ul>
 *   <li>{@code -NOLEADER}: no leader could be reached; the request was not applied, retry;
 *   <li>{@code -NOQUORUM}: the leader cannot reach a majority and refuses writes; not applied;
 *   <li>{@code -TRYAGAIN}: leadership is moving, or a read could not be confirmed; retry;
 *   <li>{@code -ERR not applied: ...}: definitely not applied, safe to retry;
 *   <li>{@code -ERR outcome unknown: ...}: the write may or may not have been applied.
 * </ul>
 */
final class ServerErrors {

  private static final Logger LOG = LoggerFactory.getLogger(ServerErrors.class);

  private final NodeId self;

  ServerErrors(NodeId self) {
    this.self = self;
  }

  ErrorReply noLeader() {
    return Reply.error(
        "NOLEADER no leader is known to node "
            + self
            + " (an election is under way, or this node is cut off from the cluster);"
            + " the request was not applied, retry shortly");
  }

  ErrorReply noQuorum() {
    return Reply.error(
        "NOQUORUM the leader "
            + self
            + " cannot reach a majority of the cluster and refuses writes;"
            + " the request was not applied, retry shortly (a new leader may be elected)");
  }

  /** A node that is not the leader and may not forward (the request was already forwarded). */
  ErrorReply notLeader(NodeId leader) {
    return Reply.error(
        "NOLEADER node "
            + self
            + " is not the leader and does not forward a request that was forwarded to it;"
            + " the leader is "
            + leader
            + "; the request was not applied, retry");
  }

  /** A write whose reply from the leader was lost after it was sent. */
  static ErrorReply outcomeUnknown(String what) {
    return Reply.err(
        "outcome unknown: "
            + what
            + "; the write may or may not have been applied, check before retrying");
  }

  /** The error reply for a failed node future: what the failure means for the client. */
  ErrorReply of(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof NotLeaderException e) {
      return switch (e.reason()) {
        case NO_QUORUM -> noQuorum();
        case LEADERSHIP_TRANSFER_IN_PROGRESS ->
            Reply.error(
                "TRYAGAIN leadership is being transferred"
                    + e.leaderHint().map(l -> " to " + l).orElse("")
                    + "; the request was not applied, retry shortly");
        case MEMBERSHIP_CHANGE_IN_PROGRESS ->
            Reply.error(
                "TRYAGAIN another membership change is still in progress; nothing was changed,"
                    + " retry once it completes (see LIST_NODES)");
        case NOT_LEADER, LEADERSHIP_LOST ->
            e.leaderHint().map(this::notLeader).orElseGet(this::noLeader);
      };
    }
    if (cause instanceof ReadFailedException e) {
      return e.leaderHint().isEmpty()
          ? noLeader()
          : Reply.error(
              "TRYAGAIN the read could not be confirmed as up to date on node "
                  + self
                  + " ("
                  + e.getMessage()
                  + "); nothing was changed, retry");
    }
    if (cause instanceof ProposalDroppedException e) {
      return Reply.err("not applied: the " + e.getMessage() + "; it is safe to retry");
    }
    if (cause instanceof NodeStoppedException e) {
      return e.definitelyNotApplied()
          ? Reply.err(
              "not applied: node " + self + " is stopped; retry the request at another node")
          : outcomeUnknown("node " + self + " stopped after proposing the write");
    }
    if (cause instanceof RaftException e) {
      return e.definitelyNotApplied()
          ? Reply.err("not applied: " + e.getMessage() + "; it is safe to retry")
          : outcomeUnknown(e.getMessage());
    }
    LOG.error("{}: a request failed unexpectedly", self, cause);
    return Reply.err(
        "internal error on node " + self + ": " + cause + "; the outcome of a write is unknown");
  }

  /** A leader hint, if it names another node; a node never forwards to itself. */
  Optional<NodeId> otherNode(Optional<NodeId> hint) {
    return hint.filter(l -> !l.equals(self));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
