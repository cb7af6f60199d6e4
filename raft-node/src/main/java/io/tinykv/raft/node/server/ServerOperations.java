package io.tinykv.raft.node.server;

import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.jmx.ClusterOperations;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The server's membership and snapshot operations for the management beans: they block the JMX
 * caller until the change has settled, and turn every refusal into a JDK exception with a message
 * that says what happened and what to do.
 */
final class ServerOperations implements ClusterOperations {

  /** A little longer than the node's own limit for seeing a membership change through. */
  private static final long WAIT_SECONDS = 35;

  private final RaftNode<?> node;
  private final Function<NodeId, Optional<NodeAddress>> addresses;

  ServerOperations(RaftNode<?> node, Function<NodeId, Optional<NodeAddress>> addresses) {
    this.node = node;
    this.addresses = addresses;
  }

  @Override
  public String addNode(String address) {
    NodeAddress parsed;
    try {
      parsed = NodeAddress.parse(address.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "addNode takes the new node's host:port: " + e.getMessage());
    }
    NodeId id = NodeId.of(parsed.toString());
    Membership m = await(node.addLearner(id, parsed), "add " + id);
    return "added "
        + id
        + " at "
        + parsed
        + " as a learner (promoted once caught up); members "
        + m.allMembers();
  }

  @Override
  public String removeNode(String id) {
    NodeId member;
    try {
      member = NodeId.of(id.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("removeNode takes a member's node id: " + e.getMessage());
    }
    Membership m = await(node.removeMember(member), "remove " + member);
    return "removed " + member + "; members " + m.allMembers();
  }

  @Override
  public String takeSnapshot() {
    return await(node.takeSnapshot(), "take a snapshot").describe();
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to " + what);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "could not " + what + " within " + WAIT_SECONDS + " s; it may still complete");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof NotLeaderException nl) {
        throw new IllegalStateException(
            "cannot "
                + what
                + " here: "
                + node.id()
                + " is not the leader"
                + nl.leaderHint()
                    .map(
                        l ->
                            "; connect to the leader "
                                + l
                                + addresses.apply(l).map(a -> " at " + a).orElse(""))
                    .orElse("; no leader is known right now, retry shortly"));
      }
      // JDK types only: a JMX client may not have TinyKV's exception classes.
      throw new IllegalStateException(cause.getMessage());
    }
  }
}
