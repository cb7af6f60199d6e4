package io.tinykv.raft.node.runtime.snapshot;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leader's outgoing snapshot transfers, one {@link SnapshotTransfer} per follower, all on one
 * thread of their own (never the consensus thread) and sharing one bandwidth {@link TokenBucket}.
 * Each streams the newest durable snapshot; at the end, whether it succeeded or not, the consensus
 * core is told through {@link Reports}, which is retried until it is queued so that the core never
 * waits forever for a report.
 *
 * <p>Threading: {@link #start} and {@link #onResponse} from any thread; they only queue work.
 */
public final class SnapshotSenders implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSenders.class);
  private static final long REPORT_RETRY_MILLIS = 10;

  /** Tells the consensus core how a transfer ended. */
  public interface Reports {
    /**
     * Queues the report for the consensus thread.
     *
     * @return false if it could not be queued now (it is tried again shortly)
     */
    boolean report(NodeId peer, boolean success);
  }

  private final NodeId self;
  private final LocalSnapshots snapshots;
  private final SnapshotOptions options;
  private final Consumer<RaftMessage> send;
  private final Reports reports;
  private final LongSupplier nanoClock;
  private final ScheduledThreadPoolExecutor thread;
  private final TokenBucket bucket;

  /** Touched only on {@link #thread}. */
  private final Map<NodeId, Running> running = new HashMap<>();

  private volatile boolean closed;
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();

  private static final class Running {
    final SnapshotTransfer transfer;
    final SnapshotReader reader;
    ScheduledFuture<?> timer;

    Running(SnapshotTransfer transfer, SnapshotReader reader) {
      this.transfer = transfer;
      this.reader = reader;
    }
  }

  public SnapshotSenders(
      NodeId self,
      LocalSnapshots snapshots,
      SnapshotOptions options,
      Consumer<RaftMessage> send,
      Reports reports) {
    this.self = self;
    this.snapshots = snapshots;
    this.options = options;
    this.send = send;
    this.reports = reports;
    this.nanoClock = System::nanoTime;
    this.thread =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tinykv-snapshot-out-" + self);
              t.setDaemon(true);
              return t;
            });
    this.thread.setRemoveOnCancelPolicy(true);
    this.thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.bucket = TokenBucket.forOptions(options, nanoClock.getAsLong());
  }

  /** Starts streaming the newest snapshot to {@code to}, stamped with the leader's {@code term}. */
  public void start(NodeId to, long term) {
    execute(() -> begin(to, term));
  }

  /** A follower's answer to a chunk. */
  public void onResponse(InstallSnapshotResponse response) {
    execute(
        () -> {
          Running r = running.get(response.from());
          if (r != null) {
            r.transfer.onResponse(response, nanoClock.getAsLong());
            pump(r);
          }
        });
  }

  private void begin(NodeId to, long term) {
    Running previous = running.remove(to);
    if (previous != null) {
      // The core asked again (a new term): the old stream is obsolete and needs no report.
      previous.transfer.abort("replaced by a new request in term " + term);
      stop(previous);
    }
    Optional<SnapshotInfo> latest = snapshots.latest();
    if (latest.isEmpty()) {
      LOG.warn("{}: {} needs a snapshot but none is stored", self, to);
      report(to, false);
      return;
    }
    SnapshotReader reader;
    try {
      reader = snapshots.open(latest.get());
    } catch (RuntimeException e) {
      LOG.warn("{}: cannot open snapshot {} for {}", self, latest.get().meta(), to, e);
      report(to, false);
      return;
    }
    SnapshotTransfer transfer =
        new SnapshotTransfer(
            self,
            to,
            term,
            reader.info(),
            reader::readChunk,
            options,
            bucket,
            nanoClock.getAsLong());
    Running r = new Running(transfer, reader);
    running.put(to, r);
    started.incrementAndGet();
    LOG.info(
        "{}: sending snapshot {} ({} bytes) to {} in term {}",
        self,
        reader.info().meta(),
        reader.info().storedBytes(),
        to,
        term);
    pump(r);
  }

  private void pump(Running r) {
    if (r.timer != null) {
      r.timer.cancel(false);
      r.timer = null;
    }
    long before = r.transfer.bytesSent();
    try {
      for (InstallSnapshot chunk : r.transfer.poll(nanoClock.getAsLong())) {
        send.accept(chunk);
      }
    } catch (RuntimeException e) {
      LOG.warn("{}: reading snapshot for {} failed", self, r.transfer.to(), e);
      r.transfer.abort("reading the snapshot failed: " + e);
    }
    bytesSent.addAndGet(r.transfer.bytesSent() - before);
    if (r.transfer.state() != SnapshotTransfer.State.RUNNING) {
      finish(r);
      return;
    }
    long delay = Math.max(1, r.transfer.nextPollNanos() - nanoClock.getAsLong());
    try {
      r.timer = thread.schedule(() -> pump(r), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException stopping) {
      // Closing.
    }
  }

  private void finish(Running r) {
    running.remove(r.transfer.to(), r);
    stop(r);
    boolean ok = r.transfer.state() == SnapshotTransfer.State.SUCCEEDED;
    (ok ? succeeded : failed).incrementAndGet();
    LOG.info(
        "{}: snapshot {} to {} {} after {} bytes in {} chunks",
        self,
        r.transfer.info().meta(),
        r.transfer.to(),
        ok ? "delivered" : "failed (" + r.transfer.failure().orElse("?") + ")",
        r.transfer.bytesSent(),
        r.transfer.chunksSent());
    report(r.transfer.to(), ok);
  }

  private void stop(Running r) {
    if (r.timer != null) {
      r.timer.cancel(false);
    }
    r.reader.close();
  }

  private void report(NodeId peer, boolean success) {
    if (closed) {
      return;
    }
    if (!reports.report(peer, success)) {
      try {
        ScheduledFuture<?> unused =
            thread.schedule(
                () -> report(peer, success), REPORT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        // Closing: the core stops with the node.
      }
    }
  }

  private void execute(Runnable task) {
    if (closed) {
      return;
    }
    try {
      thread.execute(task);
    } catch (RejectedExecutionException stopping) {
      // Closing.
    }
  }

  /** Transfers started, delivered, failed; stream bytes sent (resends included). */
  public long started() {
    return started.get();
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  public long bytesSent() {
    return bytesSent.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.execute(
          () -> {
            running.values().forEach(this::stop);
            running.clear();
          });
    } catch (RejectedExecutionException alreadyClosed) {
      return;
    }
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
