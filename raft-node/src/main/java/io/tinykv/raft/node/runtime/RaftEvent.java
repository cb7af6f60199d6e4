package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.SnapshotResult;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A slot of the raft ring: one input for the consensus thread. */
final class RaftEvent<R> {

  /** What the consensus thread is asked to do. */
  sealed interface Command<R>
      permits Tick, Wake, Inbound, Propose, Read, Call, Snapshotted, TakeSnapshot {}

  /** One logical tick of time. */
  record Tick<R>() implements Command<R> {}

  /** Another stage made progress (durable or applied); look at the feedback counters. */
  record Wake<R>() implements Command<R> {}

  record Inbound<R>(RaftMessage message) implements Command<R> {}

  /** The payload is handed on to the core as is, without a copy. */
  @SuppressWarnings("ArrayRecordComponent")
  record Propose<R>(byte[] payload, CompletableFuture<Submitted<R>> future) implements Command<R> {}

  record Read<R>(ReadRequest<?> request) implements Command<R> {}

  /** Runs on the consensus thread with the core, for administrative actions and queries. */
  record Call<R>(Consumer<RawNode> action) implements Command<R> {}

  /**
   * The applier made a snapshot up to {@code index} durable: the log up to {@code compactTo} (the
   * snapshot minus the retained tail) may go, once the core knows that much is applied.
   */
  record Snapshotted<R>(long index, long compactTo) implements Command<R> {}

  /** Pass an explicit snapshot request on to the applier, in order with the other apply work. */
  record TakeSnapshot<R>(CompletableFuture<SnapshotResult> result) implements Command<R> {}

  Command<R> command;
}
