package io.tinykv.raft.node.runtime;

import com.lmax.disruptor.EventHandler;
import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.ProposalDroppedException;
import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The applier: applies committed entries to the state machine in log order, completes the proposals
 * waiting for them, and serves linearizable reads once their read index is applied. Reports its
 * applied index to the consensus thread at the end of each ring batch.
 */
final class ApplyStage<R> implements EventHandler<ApplyEvent<R>> {

  private record Pending<R>(long term, CompletableFuture<R> result) {}

  private record WaitingRead(long index, long order, ReadRequest<?> request) {}

  private final StateMachine<R> stateMachine;
  private final Runnable wakeConsensus;
  private final AtomicLong appliedIndex = new AtomicLong();
  private final Map<Long, Pending<R>> pending = new HashMap<>();
  private final PriorityQueue<WaitingRead> waitingReads =
      new PriorityQueue<>(
          (a, b) ->
              a.index != b.index ? Long.compare(a.index, b.index) : Long.compare(a.order, b.order));
  private long readOrder;
  private long applied;

  ApplyStage(StateMachine<R> stateMachine, Runnable wakeConsensus) {
    this.stateMachine = stateMachine;
    this.wakeConsensus = wakeConsensus;
  }

  @Override
  public void onEvent(ApplyEvent<R> event, long sequence, boolean endOfBatch) {
    ApplyEvent.Work<R> work = event.work;
    event.work = null;
    if (work instanceof ApplyEvent.Register<R> r) {
      pending.put(r.index(), new Pending<>(r.term(), r.result()));
    } else if (work instanceof ApplyEvent.Apply<R> a) {
      for (LogEntry entry : a.entries()) {
        apply(entry);
      }
      serveReads();
    } else if (work instanceof ApplyEvent.ServeRead<R> s) {
      waitingReads.add(new WaitingRead(s.index(), readOrder++, s.request()));
      serveReads();
    }
    if (endOfBatch) {
      appliedIndex.set(applied);
      wakeConsensus.run();
    }
  }

  private void apply(LogEntry entry) {
    if (entry.index() != applied + 1) {
      throw new IllegalStateException(
          "applying index " + entry.index() + " after " + applied + ": entries out of order");
    }
    R result =
        entry.type() == EntryType.COMMAND
            ? stateMachine.apply(entry.index(), entry.payload())
            : null;
    applied = entry.index();
    Pending<R> p = pending.remove(entry.index());
    if (p != null) {
      if (p.term() == entry.term()) {
        p.result().complete(result);
      } else {
        p.result().completeExceptionally(new ProposalDroppedException(entry.index(), p.term()));
      }
    }
  }

  private void serveReads() {
    while (!waitingReads.isEmpty() && waitingReads.peek().index() <= applied) {
      waitingReads.poll().request().run();
    }
  }

  long appliedIndex() {
    return appliedIndex.get();
  }

  /** Fails everything still waiting; called once the applier thread has stopped. */
  void failAll(String reason) {
    pending
        .values()
        .forEach(p -> p.result().completeExceptionally(new NodeStoppedException(reason, true)));
    pending.clear();
    waitingReads.forEach(w -> w.request().fail(new NodeStoppedException(reason, false)));
    waitingReads.clear();
  }
}
