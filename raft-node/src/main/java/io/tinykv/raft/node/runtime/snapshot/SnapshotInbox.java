package io.tinykv.raft.node.runtime.snapshot;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's receiving end of snapshot transfers, on its own thread: the transport's I/O threads
 * hand chunks here (never to the consensus core, and never doing disk I/O themselves), {@link
 * SnapshotReception} stages and answers them, and a complete, verified snapshot is offered to the
 * core through {@link Offers}. When the core's ready then asks for the snapshot to be installed,
 * the log writer calls {@link #install}.
 *
 * <p>Threading: {@link #receive} from any thread (it queues, and drops when more than a few windows
 * wait: the leader resends); {@link #offered} on the consensus thread; {@link #install} on the log
 * writer.
 */
public final class SnapshotInbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotInbox.class);
  private static final int QUEUED_CHUNKS = 64;

  /** Offers a complete snapshot to the consensus core. */
  public interface Offers {
    /**
     * Queues the offer for the consensus thread, which answers through {@link #offered}.
     *
     * @return false if it could not be queued (the node is stopping or overloaded)
     */
    boolean offer(NodeId leader, long term, SnapshotMeta meta);
  }

  private final NodeId self;
  private final SnapshotReception reception;
  private final LocalSnapshots snapshots;
  private final Consumer<RaftMessage> send;
  private final LongSupplier currentTerm;
  private final Offers offers;
  private final ThreadPoolExecutor thread;
  private final LongAdder dropped = new LongAdder();

  public SnapshotInbox(
      NodeId self,
      LocalSnapshots snapshots,
      Consumer<RaftMessage> send,
      LongSupplier currentTerm,
      Offers offers) {
    this.self = self;
    this.reception = new SnapshotReception(self, snapshots.store());
    this.snapshots = snapshots;
    this.send = send;
    this.currentTerm = currentTerm;
    this.offers = offers;
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUED_CHUNKS),
            r -> {
              Thread t = new Thread(r, "tinykv-snapshot-in-" + self);
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /** A chunk from the transport; never blocks. */
  public void receive(InstallSnapshot chunk) {
    try {
      thread.execute(() -> handle(chunk));
    } catch (RejectedExecutionException full) {
      dropped.increment();
    }
  }

  private void handle(InstallSnapshot chunk) {
    SnapshotReception.Step step;
    try {
      step = reception.onChunk(chunk, currentTerm.getAsLong());
    } catch (RuntimeException e) {
      // A storage failure while staging: drop the staged copy; the leader starts again later.
      LOG.error("{}: receiving {} failed; discarding the staged snapshot", self, chunk, e);
      reception.discard();
      return;
    }
    if (step instanceof SnapshotReception.Reply reply) {
      send.accept(reply.response());
    } else if (step instanceof SnapshotReception.Offer offer) {
      LOG.info("{}: snapshot {} received and verified; offering it", self, offer.meta());
      if (!offers.offer(offer.leader(), offer.term(), offer.meta())) {
        reception.offered(offer.meta(), false, 0).ifPresent(send);
      }
    } else if (step instanceof SnapshotReception.Ignore ignore) {
      LOG.debug("{}: ignoring {}: {}", self, chunk, ignore.why());
    }
  }

  /**
   * The core's answer to an offer, with its term; on the consensus thread. A refused snapshot is
   * discarded and the leader told that this node needs no more of it.
   */
  public void offered(SnapshotMeta meta, boolean accepted, long currentTerm) {
    reception.offered(meta, accepted, currentTerm).ifPresent(send);
  }

  /**
   * Installs the accepted snapshot with {@code meta} as the node's current durable snapshot; on the
   * log writer, before it persists the ready that asked for it.
   */
  public SnapshotInfo install(SnapshotMeta meta) {
    SnapshotReception.Accepted accepted = reception.takeAccepted(meta);
    SnapshotInfo info = snapshots.install(accepted.receiver());
    LOG.info("{}: installed snapshot {}", self, meta);
    // The transfer is complete; the core's own acknowledgement follows once the ready is durable.
    send.accept(accepted.completion());
    return info;
  }

  /** Bytes staged of a snapshot being received. */
  public long stagedBytes() {
    return reception.stagedBytes();
  }

  /** Chunks dropped because too many were waiting. */
  public long dropped() {
    return dropped.sum();
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: the snapshot receiver did not stop in time", self);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reception.discard();
  }
}
