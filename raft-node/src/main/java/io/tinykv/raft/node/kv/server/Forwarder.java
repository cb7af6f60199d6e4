package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a request this node cannot serve (a write, on a follower) to the leader and relays the
 * leader's reply. {@link LeaderForwarder} does it over a RESP connection.
 *
 * <p>Contract: a request is sent at most once, never retried, so a write is proposed at most once.
 * The future never fails: a request that was not sent completes with a retryable {@code -NOLEADER}
 * error, one whose reply was lost after sending with an "outcome unknown" error. May be called from
 * any thread, including a node's consensus thread: it must not block or do I/O on the caller's
 * thread.
 */
@FunctionalInterface
public interface Forwarder {

  /** Forwards nothing: every request gets a retryable error that names the leader. */
  Forwarder DISABLED =
      (leader, request) ->
          CompletableFuture.completedFuture(
              Reply.error(
                  "NOLEADER this node does not forward requests; the request was not applied,"
                      + " send it to the leader "
                      + leader));

  /** The leader's reply to {@code request}, or the error to reply in its place. */
  CompletableFuture<Reply> forward(NodeId leader, RespRequest request);
}
