package io.tinykv.raft.node.runtime;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A slot of the apply ring: work for the applier, in log order. */
final class ApplyEvent<R> {

  sealed interface Work<R> permits Register, Apply, ServeRead {}

  /** A proposal was appended at (index, term): complete its future when that index applies. */
  record Register<R>(long index, long term, CompletableFuture<R> result) implements Work<R> {}

  /** Committed entries, durable locally, to apply in order. */
  record Apply<R>(List<LogEntry> entries) implements Work<R> {}

  /** Run a read once the state machine has applied {@code index}. */
  record ServeRead<R>(long index, ReadRequest<?> request) implements Work<R> {}

  Work<R> work;
}
