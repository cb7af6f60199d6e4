package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.SnapshotResult;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A slot of the apply ring: work for the applier, in log order. */
final class ApplyEvent<R> {

  sealed interface Work<R> permits Register, Apply, ServeRead, Restore, TakeSnapshot {}

  /** A proposal was appended at (index, term): complete its future when that index applies. */
  record Register<R>(long index, long term, CompletableFuture<R> result) implements Work<R> {}

  /** Committed entries, durable locally, to apply in order. */
  record Apply<R>(List<LogEntry> entries) implements Work<R> {}

  /** Run a read once the state machine has applied {@code index}. */
  record ServeRead<R>(long index, ReadRequest<?> request) implements Work<R> {}

  /**
   * Replace the state machine's state by the installed snapshot with this meta, then count its last
   * index as applied. Published only once the log writer has installed it.
   */
  record Restore<R>(SnapshotMeta meta) implements Work<R> {}

  /** Snapshot the state machine now (an explicit request). */
  record TakeSnapshot<R>(CompletableFuture<SnapshotResult> result) implements Work<R> {}

  Work<R> work;
}
