package io.tinykv.raft.node.runtime;

import com.lmax.disruptor.EventHandler;
import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.ProposalDroppedException;
import io.tinykv.raft.node.api.SnapshotResult;
import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.node.runtime.snapshot.LocalSnapshots;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier: applies committed entries to the state machine in log order, completes the proposals
 * waiting for them, and serves linearizable reads once their read index is applied. Reports its
 * applied index to the consensus thread at the end of each ring batch.
 *
 * <p>Snapshots are written here, on the applier thread, straight from the state machine into the
 * snapshot store (no copy of the state is made, so applying and client replies wait while it is
 * written; the consensus thread never does): after {@link SnapshotOptions#entriesThreshold()}
 * entries or {@link SnapshotOptions#bytesThreshold()} payload bytes applied since the last one, or
 * on request. Each records the membership in force at its index, which this stage tracks from the
 * configuration entries it applies. A snapshot installed from a leader replaces the state here
 * ({@link ApplyEvent.Restore}).
 */
final class ApplyStage<R> implements EventHandler<ApplyEvent<R>> {

  private static final Logger LOG = LoggerFactory.getLogger(ApplyStage.class);

  private record Pending<R>(long term, CompletableFuture<R> result) {}

  private record WaitingRead(long index, long order, ReadRequest<?> request) {}

  /** Where this stage starts: from scratch, or from the snapshot the node restored at start-up. */
  record Start(long appliedIndex, long appliedTerm, Membership membership) {}

  private final StateMachine<R> stateMachine;
  private final Runnable wakeConsensus;
  private final LocalSnapshots snapshots;
  private final SnapshotOptions options;
  private final Consumer<SnapshotInfo> snapshotTaken;
  private final Supplier<NodeRecorder> recorder;
  private final AtomicLong appliedIndex = new AtomicLong();
  private final Map<Long, Pending<R>> pending = new HashMap<>();
  private final PriorityQueue<WaitingRead> waitingReads =
      new PriorityQueue<>(
          (a, b) ->
              a.index != b.index ? Long.compare(a.index, b.index) : Long.compare(a.order, b.order));
  private long readOrder;
  private long applied;
  private long appliedTerm;

  /** The configuration in force at {@link #applied}. */
  private Membership membership;

  private long lastSnapshotIndex;

  /** The last index a snapshot installed from a leader covered (0 if none). */
  private long restoredIndex;

  private long entriesSinceSnapshot;
  private long bytesSinceSnapshot;

  ApplyStage(
      StateMachine<R> stateMachine,
      Runnable wakeConsensus,
      Start start,
      LocalSnapshots snapshots,
      SnapshotOptions options,
      Consumer<SnapshotInfo> snapshotTaken,
      Supplier<NodeRecorder> recorder) {
    this.stateMachine = stateMachine;
    this.wakeConsensus = wakeConsensus;
    this.snapshots = snapshots;
    this.options = options;
    this.snapshotTaken = snapshotTaken;
    this.recorder = recorder;
    this.applied = start.appliedIndex();
    this.appliedTerm = start.appliedTerm();
    this.membership = start.membership();
    this.appliedIndex.set(applied);
    this.lastSnapshotIndex = snapshots.latest().map(s -> s.meta().lastIndex()).orElse(0L);
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
    } else if (work instanceof ApplyEvent.Restore<R> restore) {
      restore(restore.meta());
      serveReads();
    } else if (work instanceof ApplyEvent.TakeSnapshot<R> take) {
      takeRequested(take.result());
    }
    if (endOfBatch) {
      appliedIndex.set(applied);
      wakeConsensus.run();
      if (entriesSinceSnapshot >= options.entriesThreshold()
          || bytesSinceSnapshot >= options.bytesThreshold()) {
        snapshotNow();
      }
    }
  }

  private void apply(LogEntry entry) {
    if (entry.index() <= restoredIndex) {
      // Handed out before a newer snapshot was installed, which already covers it.
      return;
    }
    if (entry.index() != applied + 1) {
      throw new IllegalStateException(
          "applying index " + entry.index() + " after " + applied + ": entries out of order");
    }
    R result = null;
    if (entry.type() == EntryType.COMMAND) {
      result = stateMachine.apply(entry.index(), entry.payload());
    } else if (entry.type() == EntryType.CONFIGURATION) {
      membership = MembershipCodec.decodeEntry(entry.payload());
    }
    applied = entry.index();
    appliedTerm = entry.term();
    entriesSinceSnapshot++;
    bytesSinceSnapshot += entry.payload().length;
    Pending<R> p = pending.remove(entry.index());
    if (p != null) {
      if (p.term() == entry.term()) {
        p.result().complete(result);
      } else {
        p.result().completeExceptionally(new ProposalDroppedException(entry.index(), p.term()));
      }
    }
  }

  /** Replaces the state by the installed snapshot {@code meta} (a follower that fell behind). */
  private void restore(SnapshotMeta requested) {
    if (requested.lastIndex() <= restoredIndex) {
      return; // a newer installed snapshot was restored already
    }
    // Normally the installed snapshot is the one requested. If the leader sent another one that
    // was installed before this restore ran, the newer one replaces the requested one (which is
    // gone) and covers the entries handed out in between.
    SnapshotInfo info =
        snapshots
            .latest()
            .filter(s -> s.meta().lastIndex() >= requested.lastIndex())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "snapshot "
                            + requested
                            + " to restore is not installed: the newest is "
                            + snapshots.latest().map(s -> s.meta().toString()).orElse("none")));
    SnapshotMeta meta = info.meta();
    try (SnapshotReader reader = snapshots.open(info);
        InputStream in = reader.openContent()) {
      stateMachine.restore(in);
    } catch (IOException e) {
      throw new UncheckedIOException("restoring the state machine from snapshot " + meta, e);
    }
    restoredIndex = meta.lastIndex();
    applied = meta.lastIndex();
    appliedTerm = meta.lastTerm();
    membership = meta.membership();
    lastSnapshotIndex = meta.lastIndex();
    entriesSinceSnapshot = 0;
    bytesSinceSnapshot = 0;
    // Proposals at covered indexes: their entries were committed, but whether as theirs is unknown.
    for (Iterator<Map.Entry<Long, Pending<R>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Pending<R>> e = it.next();
      if (e.getKey() <= applied) {
        e.getValue()
            .result()
            .completeExceptionally(
                new IllegalStateException(
                    "the entry at index "
                        + e.getKey()
                        + " was applied as part of a snapshot from the leader; whether it was"
                        + " this proposal is unknown"));
        it.remove();
      }
    }
    LOG.info("Restored the state machine from snapshot {}", meta);
    recorder.get().snapshotInstalled(meta.lastIndex());
  }

  private void takeRequested(CompletableFuture<SnapshotResult> result) {
    if (applied == 0) {
      result.completeExceptionally(
          new IllegalStateException("nothing is applied yet: there is no state to snapshot"));
      return;
    }
    Optional<SnapshotInfo> taken = snapshotNow();
    Optional<SnapshotInfo> info = taken.isPresent() ? taken : snapshots.latest();
    if (info.isEmpty()) {
      result.completeExceptionally(new IllegalStateException("no snapshot could be taken"));
      return;
    }
    SnapshotMeta meta = info.get().meta();
    result.complete(
        new SnapshotResult(
            meta.lastIndex(), meta.lastTerm(), info.get().storedBytes(), taken.isPresent()));
  }

  /**
   * Writes a snapshot of everything applied, unless the newest one already covers it.
   *
   * @return the new snapshot, if one was written
   */
  private Optional<SnapshotInfo> snapshotNow() {
    entriesSinceSnapshot = 0;
    bytesSinceSnapshot = 0;
    if (applied == 0 || applied <= lastSnapshotIndex) {
      return Optional.empty();
    }
    SnapshotMeta meta = new SnapshotMeta(applied, appliedTerm, membership);
    long start = System.nanoTime();
    Optional<SnapshotInfo> info;
    try {
      info = snapshots.write(meta, stateMachine::snapshot);
    } catch (IOException e) {
      throw new UncheckedIOException("writing snapshot " + meta, e);
    }
    lastSnapshotIndex = applied;
    info.ifPresent(
        i -> {
          LOG.info(
              "Snapshot {} written ({} bytes) in {} ms",
              meta,
              i.storedBytes(),
              (System.nanoTime() - start) / 1_000_000);
          recorder.get().snapshotTaken(meta.lastIndex());
          snapshotTaken.accept(i);
        });
    return info;
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
