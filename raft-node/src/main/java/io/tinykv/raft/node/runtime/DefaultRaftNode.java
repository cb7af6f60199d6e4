package io.tinykv.raft.node.runtime;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.tinykv.raft.node.api.NodeBusyException;
import io.tinykv.raft.node.api.NodeListener;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.api.SnapshotResult;
import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.runtime.snapshot.LocalSnapshots;
import io.tinykv.raft.node.runtime.snapshot.SnapshotInbox;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import io.tinykv.raft.node.runtime.snapshot.SnapshotSenders;
import io.tinykv.raft.node.transport.Transport;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.LogStore;
import io.tinykv.raft.storage.MetaStore;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.SnapshotStore;
import io.tinykv.raft.storage.disk.DiskStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node runtime: three Disruptor rings around the pure core (DESIGN.md, "The runtime").
 *
 * <pre>
 * transport, clients, ticker -> [raft ring] -> consensus thread (owns the core)
 *                                                 |-> transport (leader appends, in parallel)
 *                                                 |-> [log ring]   -> log writer: write, one fsync
 *                                                 '-> [apply ring] -> applier: state machine, replies
 * </pre>
 *
 * The log writer and applier report progress through counters and wake the consensus thread. A
 * storage failure is fatal: the node stops (fail-stop) and never acknowledges anything again.
 *
 * <p>Snapshots ({@link SnapshotOptions}): the applier writes them; the log is then compacted
 * through the core. A leader streams snapshots to followers that need compacted entries from a
 * thread of its own ({@link SnapshotSenders}); a follower receives them on another ({@link
 * SnapshotInbox}) rather than passing chunks to the core, offers the verified snapshot to the core,
 * and installs it through the log writer and applier. On start the node restores the state machine
 * from its newest snapshot and replays only the log after it.
 */
public final class DefaultRaftNode<R> implements RaftNode<R> {

  private static final Logger LOG = LoggerFactory.getLogger(DefaultRaftNode.class);

  private final NodeId id;
  private final Transport transport;
  private final AutoCloseable storage;
  private final Disruptor<RaftEvent<R>> raftDisruptor;
  private final Disruptor<PersistEvent> logDisruptor;
  private final Disruptor<ApplyEvent<R>> applyDisruptor;
  private final RingBuffer<RaftEvent<R>> raftRing;
  private final LogWriterStage logWriter;
  private final ApplyStage<R> applier;
  private final ConsensusLoop<R> consensus;
  private final ScheduledExecutorService ticker;
  private final int tickMillis;
  private ScheduledFuture<?> tickTask;
  private volatile RaftStatus raftStatus;
  private volatile boolean stopped;
  private final LongAdder inboundDropped = new LongAdder();
  private volatile NodeRecorder recorder = NodeRecorder.NONE;

  /** Owned by the consensus thread. */
  private final MembershipChanges membershipChanges =
      new MembershipChanges(System::nanoTime, TimeUnit.SECONDS.toNanos(30));

  private final LocalSnapshots snapshots;
  private final SnapshotInbox inbox;
  private final SnapshotSenders senders;

  /**
   * Builds a node on durable storage; call {@link #start()} to run it.
   *
   * @param config the core's settings
   * @param initialMembership used only if the storage holds no membership yet (a new cluster)
   * @param log the durable log, owned by this node from now on
   * @param meta the durable term, vote and membership
   * @param snapshotStore the durable snapshots; the newest one is restored into {@code
   *     stateMachine} here
   * @param storage closed when the node closes
   */
  public DefaultRaftNode(
      RaftConfig config,
      RuntimeOptions options,
      Membership initialMembership,
      LogStore log,
      MetaStore meta,
      SnapshotStore snapshotStore,
      AutoCloseable storage,
      StateMachine<R> stateMachine,
      Transport transport) {
    this.id = config.id();
    this.transport = transport;
    this.storage = storage;
    this.tickMillis = options.tickMillis();
    Membership membership =
        meta.current()
            .membership()
            .orElseGet(
                () -> {
                  meta.save(meta.current().withMembership(initialMembership));
                  return initialMembership;
                });
    this.snapshots = new LocalSnapshots(snapshotStore);
    ApplyStage.Start start = restoreNewestSnapshot(snapshots, stateMachine, membership);
    Random random = new Random(new SecureRandom().nextLong());
    RawNode raw =
        new RawNode(
            config,
            start.membership(),
            meta.current().hardState(),
            log,
            start.appliedIndex(),
            random::nextInt);
    this.raftStatus = raw.status();

    this.raftDisruptor =
        new Disruptor<>(
            RaftEvent::new,
            options.raftRingSize(),
            threads("tinykv-raft-" + id),
            ProducerType.MULTI,
            new BlockingWaitStrategy());
    this.logDisruptor =
        new Disruptor<>(
            PersistEvent::new,
            options.logRingSize(),
            threads("tinykv-log-" + id),
            ProducerType.SINGLE,
            new BlockingWaitStrategy());
    this.applyDisruptor =
        new Disruptor<>(
            ApplyEvent::new,
            options.applyRingSize(),
            threads("tinykv-apply-" + id),
            ProducerType.SINGLE,
            new BlockingWaitStrategy());
    this.raftRing = raftDisruptor.getRingBuffer();
    Runnable wake = () -> raftRing.tryPublishEvent((e, seq) -> e.command = new RaftEvent.Wake<>());
    SnapshotOptions snapshotOptions = options.snapshots();
    this.inbox =
        new SnapshotInbox(
            id, snapshots, transport::send, () -> raftStatus.term(), this::offerSnapshot);
    this.senders =
        new SnapshotSenders(id, snapshots, snapshotOptions, transport::send, this::reportSnapshot);
    this.logWriter = new LogWriterStage(log, meta, transport, wake, inbox::install);
    this.applier =
        new ApplyStage<>(
            stateMachine,
            wake,
            start,
            snapshots,
            snapshotOptions,
            info -> snapshotTaken(info, snapshotOptions.retainEntries()),
            () -> recorder);
    this.consensus =
        new ConsensusLoop<>(
            raw,
            transport,
            logDisruptor.getRingBuffer(),
            applyDisruptor.getRingBuffer(),
            logWriter::persistedReady,
            applier::appliedIndex,
            s -> {
              raftStatus = s;
              membershipChanges.onStatus(s);
            },
            request -> senders.start(request.to(), request.term()));
    raftDisruptor.handleEventsWith(consensus);
    logDisruptor.handleEventsWith(logWriter);
    applyDisruptor.handleEventsWith(applier);
    raftDisruptor.setDefaultExceptionHandler(fatal("consensus"));
    logDisruptor.setDefaultExceptionHandler(fatal("log writer"));
    applyDisruptor.setDefaultExceptionHandler(fatal("applier"));
    this.ticker = Executors.newSingleThreadScheduledExecutor(threads("tinykv-ticker-" + id));
  }

  /** A node on a {@link DiskStorage}, which it owns and closes. */
  public static <R> DefaultRaftNode<R> onDisk(
      RaftConfig config,
      RuntimeOptions options,
      Membership initialMembership,
      DiskStorage storage,
      StateMachine<R> stateMachine,
      Transport transport) {
    return new DefaultRaftNode<>(
        config,
        options,
        initialMembership,
        storage.log(),
        storage.meta(),
        storage.snapshots(),
        storage,
        stateMachine,
        transport);
  }

  /**
   * Makes brand-new {@code storage} a founding member of a new cluster with {@code membership}: the
   * configuration becomes log entry 1 (term 1) and the term 1, so that every log holds the whole
   * history of configurations from its first entry. A node that joins later, and replays the log
   * from index 1, then learns which configuration was in force at every index (and records the
   * right one in its snapshots). Every founding member must be bootstrapped with the same
   * membership; a node that joins a running cluster must not be bootstrapped.
   *
   * @throws IllegalStateException if the storage already holds a membership, entries or a snapshot
   */
  public static void bootstrap(DiskStorage storage, Membership membership) {
    if (storage.meta().current().membership().isPresent()
        || storage.log().lastIndex() > 0
        || storage.snapshots().latest().isPresent()) {
      throw new IllegalStateException("cannot bootstrap: the storage already holds a node's state");
    }
    if (membership.isJoint()) {
      throw new IllegalArgumentException("a new cluster starts from a simple configuration");
    }
    storage
        .log()
        .append(
            List.of(
                new LogEntry(
                    1, 1, EntryType.CONFIGURATION, 0, MembershipCodec.encodeEntry(membership))));
    storage.log().sync();
    storage
        .meta()
        .save(
            storage
                .meta()
                .current()
                .withHardState(new HardState(1, Optional.empty()))
                .withMembership(membership));
  }

  /**
   * Restores {@code stateMachine} from the newest durable snapshot, if any: the node then replays
   * only the log after it, and the snapshot's membership is the base configuration.
   */
  private static <R> ApplyStage.Start restoreNewestSnapshot(
      LocalSnapshots snapshots, StateMachine<R> stateMachine, Membership bootstrap) {
    Optional<SnapshotInfo> latest = snapshots.latest();
    if (latest.isEmpty()) {
      return new ApplyStage.Start(0, 0, bootstrap);
    }
    SnapshotInfo info = latest.get();
    try (SnapshotReader reader = snapshots.open(info);
        InputStream in = reader.openContent()) {
      stateMachine.restore(in);
    } catch (IOException e) {
      throw new UncheckedIOException("restoring the state machine from snapshot " + info.meta(), e);
    }
    LOG.info("Restored the state machine from snapshot {}", info.meta());
    return new ApplyStage.Start(
        info.meta().lastIndex(), info.meta().lastTerm(), info.meta().membership());
  }

  /** Reports proposals, commit latencies and fsyncs to {@code recorder}; call before start. */
  public DefaultRaftNode<R> recordTo(NodeRecorder recorder) {
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    logWriter.recordTo(recorder);
    return this;
  }

  /** Starts the threads, the transport and the clock. */
  public DefaultRaftNode<R> start() {
    applyDisruptor.start();
    logDisruptor.start();
    raftDisruptor.start();
    transport.start(this::deliver);
    tickTask =
        ticker.scheduleAtFixedRate(
            () -> raftRing.tryPublishEvent((e, seq) -> e.command = new RaftEvent.Tick<>()),
            tickMillis,
            tickMillis,
            TimeUnit.MILLISECONDS);
    LOG.info("{} started", id);
    return this;
  }

  /**
   * Called on the transport's I/O threads, which must never block: when the raft ring is full the
   * message is dropped (and counted), which Raft tolerates like any network loss.
   */
  private void deliver(RaftMessage message) {
    if (message instanceof InstallSnapshot chunk) {
      if (!stopped && chunk.to().equals(id)) {
        inbox.receive(chunk);
      }
      return;
    }
    if (message instanceof InstallSnapshotResponse response) {
      if (!stopped && response.to().equals(id)) {
        senders.onResponse(response);
      }
      return;
    }
    if (!stopped
        && !raftRing.tryPublishEvent(
            (e, seq, m) -> e.command = new RaftEvent.Inbound<>(m), message)) {
      inboundDropped.increment();
    }
  }

  /** Peer messages dropped because the raft ring was full. */
  public long inboundDropped() {
    return inboundDropped.sum();
  }

  @Override
  public NodeId id() {
    return id;
  }

  @Override
  public CompletableFuture<Submitted<R>> propose(byte[] command) {
    CompletableFuture<Submitted<R>> future = new CompletableFuture<>();
    if (stopped) {
      future.completeExceptionally(new NodeStoppedException(id + " is stopped", false));
      return future;
    }
    NodeRecorder r = recorder;
    r.proposed();
    long proposedAt = System.nanoTime();
    if (!raftRing.tryPublishEvent(
        (e, seq, f) -> e.command = new RaftEvent.Propose<>(command, f), future)) {
      future.completeExceptionally(busy());
    } else if (r != NodeRecorder.NONE) {
      CompletableFuture<?> unused =
          future
              .thenCompose(Submitted::result)
              .thenRun(() -> r.applied(System.nanoTime() - proposedAt));
    }
    return future;
  }

  @Override
  public <T> CompletableFuture<T> read(Supplier<T> query) {
    CompletableFuture<T> future = new CompletableFuture<>();
    if (stopped) {
      future.completeExceptionally(new NodeStoppedException(id + " is stopped", false));
      return future;
    }
    ReadRequest<T> request = new ReadRequest<>(query, future);
    if (!raftRing.tryPublishEvent((e, seq, r) -> e.command = new RaftEvent.Read<>(r), request)) {
      future.completeExceptionally(busy());
    }
    return future;
  }

  @Override
  public CompletableFuture<Void> transferLeadership(NodeId target) {
    CompletableFuture<Void> future = new CompletableFuture<>();
    if (stopped) {
      future.completeExceptionally(new NodeStoppedException(id + " is stopped", false));
      return future;
    }
    boolean queued =
        call(
            raw ->
                raw.transferLeadership(target)
                    .ifPresentOrElse(
                        reason -> future.completeExceptionally(new IllegalStateException(reason)),
                        () -> future.complete(null)));
    if (!queued) {
      future.completeExceptionally(busy());
    }
    return future;
  }

  @Override
  public CompletableFuture<SnapshotResult> takeSnapshot() {
    CompletableFuture<SnapshotResult> future = new CompletableFuture<>();
    if (stopped) {
      future.completeExceptionally(new NodeStoppedException(id + " is stopped", false));
      return future;
    }
    if (!raftRing.tryPublishEvent(
        (e, seq, f) -> e.command = new RaftEvent.TakeSnapshot<>(f), future)) {
      future.completeExceptionally(busy());
    }
    return future;
  }

  /** The newest durable snapshot of this node, if any. */
  public Optional<SnapshotInfo> latestSnapshot() {
    return snapshots.latest();
  }

  /** Bytes staged here of a snapshot being received from a leader (0 if none). */
  public long snapshotBytesStaged() {
    return inbox.stagedBytes();
  }

  /** Snapshot transfers this node delivered to followers as leader. */
  public long snapshotTransfersDelivered() {
    return senders.succeeded();
  }

  /** Snapshot transfers that failed (the core asks again later). */
  public long snapshotTransfersFailed() {
    return senders.failed();
  }

  /** On the applier: a snapshot is durable; compact the log below it, keeping {@code retain}. */
  private void snapshotTaken(SnapshotInfo info, long retain) {
    long index = info.meta().lastIndex();
    long compactTo = Math.max(0, index - retain);
    if (!raftRing.tryPublishEvent(
        (e, seq) -> e.command = new RaftEvent.Snapshotted<>(index, compactTo))) {
      LOG.info("{}: raft ring full; the log is compacted after the next snapshot instead", id);
    }
  }

  /** On the snapshot receiver: hand a complete, verified snapshot to the core. */
  private boolean offerSnapshot(NodeId leader, long term, SnapshotMeta meta) {
    return call(raw -> inbox.offered(meta, raw.offerSnapshot(leader, term, meta), raw.term()));
  }

  /** On the snapshot sender: tell the core how a transfer ended. */
  private boolean reportSnapshot(NodeId peer, boolean success) {
    return call(raw -> raw.reportSnapshot(peer, success));
  }

  @Override
  public CompletableFuture<Membership> addLearner(NodeId node, NodeAddress address) {
    return changeMembership(
        "add " + node + " at " + address, m -> m.withLearner(node, address), m -> m.isMember(node));
  }

  @Override
  public CompletableFuture<Membership> removeMember(NodeId node) {
    return changeMembership("remove " + node, m -> m.without(node), m -> !m.isMember(node));
  }

  private CompletableFuture<Membership> changeMembership(
      String what, UnaryOperator<Membership> change, Predicate<Membership> done) {
    CompletableFuture<Membership> future = new CompletableFuture<>();
    if (stopped) {
      future.completeExceptionally(new NodeStoppedException(id + " is stopped", true));
      return future;
    }
    if (!call(raw -> membershipChanges.start(raw, what, change, done, future))) {
      future.completeExceptionally(busy());
    }
    return future;
  }

  @Override
  public void stepDown() {
    boolean unused = call(RawNode::stepDown);
  }

  /** Starts an election now; for bootstrapping a new cluster without waiting for a timeout. */
  public void campaign() {
    boolean unused = call(RawNode::campaign);
  }

  /**
   * Queues an action for the consensus thread without blocking the caller (often a Netty I/O
   * thread).
   *
   * @return false if the node is stopped or its raft ring is full
   */
  private boolean call(Consumer<RawNode> action) {
    if (stopped) {
      return false;
    }
    boolean queued =
        raftRing.tryPublishEvent((e, seq, a) -> e.command = new RaftEvent.Call<>(a), action);
    if (!queued) {
      LOG.warn("{}: the raft ring is full; an administrative request was refused", id);
    }
    return queued;
  }

  private NodeBusyException busy() {
    return new NodeBusyException(
        "node " + id + " is overloaded (its request queue is full); retry shortly");
  }

  @Override
  public NodeStatus status() {
    return new NodeStatus(
        raftStatus,
        logWriter.entriesWritten(),
        logWriter.batches(),
        logWriter.fsyncs(),
        applier.appliedIndex());
  }

  @Override
  public void addListener(NodeListener listener) {
    consensus.addListener(listener);
  }

  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (tickTask != null) {
      tickTask.cancel(false);
    }
    ticker.shutdownNow();
    transport.close();
    senders.close();
    inbox.close();
    raftDisruptor.halt();
    logDisruptor.halt();
    applyDisruptor.halt();
    String reason = id + " stopped";
    consensus.failPendingReads(new NodeStoppedException(reason, false));
    membershipChanges.failAll(new NodeStoppedException(reason, false));
    applier.failAll(reason);
    try {
      storage.close();
    } catch (Exception e) {
      LOG.warn("{}: closing storage failed", id, e);
    }
    LOG.info("{} stopped", id);
  }

  /** Any exception escaping a stage is fatal: stop the node rather than continue unsafely. */
  private <T> ExceptionHandler<T> fatal(String stage) {
    return new ExceptionHandler<>() {
      @Override
      public void handleEventException(Throwable ex, long sequence, T event) {
        LOG.error("{}: fatal error in the {} stage; stopping the node", id, stage, ex);
        Thread stopper = new Thread(DefaultRaftNode.this::close, "tinykv-stop-" + id);
        stopper.start();
        throw new IllegalStateException("fatal error in the " + stage + " stage", ex);
      }

      @Override
      public void handleOnStartException(Throwable ex) {
        LOG.error("{}: the {} stage failed to start", id, stage, ex);
      }

      @Override
      public void handleOnShutdownException(Throwable ex) {
        LOG.warn("{}: the {} stage failed to shut down cleanly", id, stage, ex);
      }
    };
  }

  private static ThreadFactory threads(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
