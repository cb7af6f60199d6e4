package io.tinykv.raft.node.runtime;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.tinykv.raft.node.api.NodeListener;
import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.api.ReadFailedException;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.ReadFailure;
import io.tinykv.raft.node.core.ReadState;
import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.node.core.SnapshotRequest;
import io.tinykv.raft.node.core.SoftState;
import io.tinykv.raft.node.transport.Transport;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consensus thread: the only owner of the {@link RawNode}. It consumes the raft ring, and at
 * the end of each ring batch collects the core's readies and hands their parts to the other stages:
 * messages to the transport at once, durable work to the log ring, committed entries and confirmed
 * reads to the apply ring. Proposals arriving in one ring batch thus share one AppendEntries per
 * follower and one fsync.
 *
 * <p>Snapshots: a leader's snapshot requests go to the snapshot senders. A follower's ready that
 * carries a snapshot goes to the log writer, which installs it; the applier's restore, and every
 * piece of apply work after it, is held back here until that ready is durable, so that the applier
 * restores from an installed snapshot and in order. When the applier reports a new durable
 * snapshot, the core is told to compact once it knows the snapshot's entries are applied.
 */
final class ConsensusLoop<R> implements EventHandler<RaftEvent<R>> {

  private static final Logger LOG = LoggerFactory.getLogger(ConsensusLoop.class);

  private final RawNode raw;
  private final Transport transport;
  private final RingBuffer<PersistEvent> logRing;
  private final RingBuffer<ApplyEvent<R>> applyRing;
  private final LongSupplier persistedReady;
  private final LongSupplier appliedIndex;
  private final StatusPublisher status;
  private final Consumer<SnapshotRequest> snapshotRequests;
  private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

  /** Apply work waiting for a ready (that installs a snapshot) to be durable, in order. */
  private record Held<R>(long afterReady, ApplyEvent.Work<R> work) {}

  private final ArrayDeque<Held<R>> heldBack = new ArrayDeque<>();

  /** Compact the core's log up to here once that much is applied; 0 if nothing to do. */
  private long compactTo;

  private final Map<Long, ReadRequest<?>> pendingReads = new HashMap<>();
  private long nextReadId = 1;
  private long acknowledgedPersisted;
  private long acknowledgedApplied;
  private SoftState softState;
  private boolean statusDirty = true;

  ConsensusLoop(
      RawNode raw,
      Transport transport,
      RingBuffer<PersistEvent> logRing,
      RingBuffer<ApplyEvent<R>> applyRing,
      LongSupplier persistedReady,
      LongSupplier appliedIndex,
      StatusPublisher status,
      Consumer<SnapshotRequest> snapshotRequests) {
    this.raw = raw;
    this.transport = transport;
    this.logRing = logRing;
    this.applyRing = applyRing;
    this.persistedReady = persistedReady;
    this.appliedIndex = appliedIndex;
    this.status = status;
    this.snapshotRequests = snapshotRequests;
    this.softState = new SoftState(raw.role(), raw.leader(), raw.term());
  }

  void addListener(NodeListener listener) {
    listeners.add(listener);
  }

  @Override
  public void onEvent(RaftEvent<R> event, long sequence, boolean endOfBatch) {
    RaftEvent.Command<R> command = event.command;
    event.command = null;
    if (command instanceof RaftEvent.Tick<R>) {
      raw.tick();
      statusDirty = true;
    } else if (command instanceof RaftEvent.Inbound<R> in) {
      step(in.message());
    } else if (command instanceof RaftEvent.Propose<R> p) {
      propose(p);
    } else if (command instanceof RaftEvent.Read<R> r) {
      long id = nextReadId++;
      pendingReads.put(id, r.request());
      raw.readIndex(id);
    } else if (command instanceof RaftEvent.Call<R> c) {
      c.action().accept(raw);
    } else if (command instanceof RaftEvent.Snapshotted<R> s) {
      compactTo = Math.max(compactTo, s.compactTo());
    } else if (command instanceof RaftEvent.TakeSnapshot<R> t) {
      publishApply(new ApplyEvent.TakeSnapshot<>(t.result()));
    }
    if (endOfBatch) {
      takeFeedback();
      drainReadies();
      if (statusDirty) {
        status.publish(raw.status());
        statusDirty = false;
      }
    }
  }

  private void step(RaftMessage message) {
    try {
      raw.step(message);
    } catch (IllegalArgumentException e) {
      LOG.warn("dropped a misaddressed message: {}", e.getMessage());
    }
  }

  private void propose(RaftEvent.Propose<R> p) {
    ProposeResult result = raw.propose(p.payload(), System.currentTimeMillis());
    if (result instanceof ProposeResult.Accepted a) {
      CompletableFuture<R> applied = new CompletableFuture<>();
      // Registered before the entry can commit: the apply ring is FIFO and this thread is its
      // only producer, so the registration always precedes the entry.
      publishApply(new ApplyEvent.Register<>(a.index(), a.term(), applied));
      p.future().complete(new Submitted<>(a.index(), a.term(), applied));
    } else if (result instanceof ProposeResult.Rejected r) {
      p.future().completeExceptionally(new NotLeaderException(r.leaderHint(), r.reason()));
    }
  }

  /** Reads what the log writer and applier reported since the last batch. */
  private void takeFeedback() {
    long persisted = persistedReady.getAsLong();
    if (persisted > acknowledgedPersisted) {
      acknowledgedPersisted = persisted;
      raw.onPersisted(persisted);
    }
    releaseHeldBack();
    long applied = appliedIndex.getAsLong();
    if (applied > acknowledgedApplied) {
      acknowledgedApplied = applied;
      raw.onApplied(applied);
    }
    if (compactTo > 0 && compactTo <= acknowledgedApplied) {
      raw.compact(compactTo);
      compactTo = 0;
    }
  }

  private void releaseHeldBack() {
    while (!heldBack.isEmpty() && heldBack.peekFirst().afterReady() <= acknowledgedPersisted) {
      ApplyEvent.Work<R> work = heldBack.pollFirst().work();
      applyRing.publishEvent((e, seq, w) -> e.work = w, work);
    }
  }

  private void drainReadies() {
    while (raw.hasReady()) {
      Ready ready = raw.ready();
      // Status snapshots are built once per tick, and at once on a role or leader change, not per
      // batch: building one allocates, and this is the consensus thread's hot path.
      ready.softState().ifPresent(this::notifyListeners);
      statusDirty |= ready.softState().isPresent();
      for (RaftMessage m : ready.messages()) {
        transport.send(m);
      }
      for (SnapshotRequest request : ready.snapshotRequests()) {
        snapshotRequests.accept(request);
      }
      if (ready.mustPersist() || !ready.persistedMessages().isEmpty() || ready.compactIndex() > 0) {
        logRing.publishEvent(
            (e, seq, r) -> {
              e.readyNumber = r.number();
              e.snapshot = r.snapshot();
              e.compactIndex = r.compactIndex();
              e.hardState = r.hardState();
              e.entries = r.entries();
              e.afterPersist = r.persistedMessages();
            },
            ready);
      }
      if (ready.snapshot().isPresent()) {
        heldBack.addLast(
            new Held<>(ready.number(), new ApplyEvent.Restore<>(ready.snapshot().get())));
      }
      if (!ready.committedEntries().isEmpty()) {
        publishApply(new ApplyEvent.Apply<>(ready.committedEntries()));
      }
      for (ReadState rs : ready.readStates()) {
        ReadRequest<?> request = pendingReads.remove(rs.requestId());
        if (request != null) {
          publishApply(new ApplyEvent.ServeRead<>(rs.index(), request));
        }
      }
      for (ReadFailure rf : ready.failedReads()) {
        ReadRequest<?> request = pendingReads.remove(rf.requestId());
        if (request != null) {
          request.fail(
              new ReadFailedException("read not confirmed: " + rf.reason(), rf.leaderHint()));
        }
      }
    }
  }

  /** Queues work for the applier, behind any work held back for a snapshot installation. */
  private void publishApply(ApplyEvent.Work<R> work) {
    if (heldBack.isEmpty()) {
      applyRing.publishEvent((e, seq, w) -> e.work = w, work);
    } else {
      heldBack.addLast(new Held<>(heldBack.peekLast().afterReady(), work));
    }
  }

  private void notifyListeners(SoftState next) {
    SoftState previous = softState;
    softState = next;
    LOG.info(
        "{} is now {} in term {}, leader {}",
        raw.id(),
        next.role(),
        next.term(),
        next.leader().map(Object::toString).orElse("unknown"));
    for (NodeListener l : listeners) {
      try {
        l.onStateChange(previous, next);
      } catch (RuntimeException e) {
        LOG.warn("a node listener failed", e);
      }
    }
  }

  /**
   * Fails the reads still waiting for a read index, and the apply work held back behind a snapshot
   * installation; called once this thread has stopped.
   */
  void failPendingReads(RuntimeException cause) {
    pendingReads.values().forEach(r -> r.fail(cause));
    pendingReads.clear();
    for (Held<R> held : heldBack) {
      if (held.work() instanceof ApplyEvent.ServeRead<R> read) {
        read.request().fail(cause);
      } else if (held.work() instanceof ApplyEvent.TakeSnapshot<R> take) {
        take.result().completeExceptionally(cause);
      } else if (held.work() instanceof ApplyEvent.Register<R> proposal) {
        // Appended, so perhaps committed by the others: the outcome is unknown.
        proposal
            .result()
            .completeExceptionally(
                new NodeStoppedException(
                    cause.getMessage()
                        + " before the proposal at index "
                        + proposal.index()
                        + " was applied",
                    true));
      }
    }
    heldBack.clear();
  }

  /** Where the consensus thread publishes its status for readers on other threads. */
  interface StatusPublisher {
    void publish(RaftStatus status);
  }
}
