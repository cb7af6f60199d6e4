package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.CommandCall;
import io.tinykv.raft.node.kv.Validated;
import io.tinykv.raft.node.kv.WriteOp;
import io.tinykv.raft.node.kv.WriteParser;
import io.tinykv.raft.node.kv.resp.Reply;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Writes and two-phase submits. A write is checked ({@link WriteParser}) and proposed here first;
 * if this node refuses it because it is not the leader, nothing was proposed, so the original
 * request is forwarded to the leader, which proposes it at most once.
 *
 * <p>Proposing before forwarding asks the authority (the consensus thread) rather than a published
 * status that may be a tick old: a node just elected serves its first writes itself.
 */
final class WritePath {

  private final RaftNode<Reply> node;
  private final WriteParser parser;
  private final SubmittedResults results;
  private final Forwarding forwarding;
  private final ServerErrors errors;

  WritePath(
      RaftNode<Reply> node,
      WriteParser parser,
      SubmittedResults results,
      Forwarding forwarding,
      ServerErrors errors) {
    this.node = node;
    this.parser = parser;
    this.results = results;
    this.forwarding = forwarding;
    this.errors = errors;
  }

  /** A WRITE command: its result once committed and applied. */
  CompletableFuture<Reply> write(CommandCall call, ClientSession session) {
    return propose(
        call,
        call,
        session,
        submitted -> submitted.result().handle((reply, f) -> f == null ? reply : errors.of(f)));
  }

  /** {@code SUBMIT <write...>}: the log index at once; the result is kept for RESULT. */
  CompletableFuture<Reply> submit(CommandCall call, ClientSession session) {
    return propose(
        call.submitted(),
        call,
        session,
        submitted -> {
          results.remember(submitted);
          return CompletableFuture.completedFuture(Reply.integer(submitted.index()));
        });
  }

  /**
   * Proposes {@code write}; on acceptance replies what {@code accepted} makes of it, on refusal
   * forwards {@code asked} (the request as the client sent it) or replies the error.
   */
  private CompletableFuture<Reply> propose(
      CommandCall write,
      CommandCall asked,
      ClientSession session,
      Function<Submitted<Reply>, CompletableFuture<Reply>> accepted) {
    Validated<WriteOp> op = parser.parse(write);
    if (!op.isValid()) {
      return CompletableFuture.completedFuture(op.error());
    }
    CompletableFuture<Submitted<Reply>> proposed = node.propose(op.value().encode());
    // Branch on the proposal alone: a failure of the result must never lead to forwarding.
    return proposed
        .handle((submitted, failure) -> Optional.ofNullable(failure))
        .thenCompose(
            failure ->
                failure.isEmpty()
                    ? accepted.apply(proposed.join())
                    : forwarding.afterRejection(failure.get(), asked.request(), session));
  }
}
