package io.tinykv.raft.node.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A linearizable read waiting for its read index, then run on the applier thread. */
record ReadRequest<T>(Supplier<T> query, CompletableFuture<T> future) {

  /** Runs the query against the state machine; a failing query fails only this read. */
  void run() {
    try {
      future.complete(query.get());
    } catch (RuntimeException e) {
      future.completeExceptionally(e);
    }
  }

  void fail(Throwable cause) {
    future.completeExceptionally(cause);
  }
}
