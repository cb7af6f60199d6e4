package io.tinykv.raft.node.runtime;

import com.lmax.disruptor.EventHandler;
import io.tinykv.raft.node.transport.Transport;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.LogWriter;
import io.tinykv.raft.storage.MetaStore;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log writer: consumes readies from the log ring, writes each one's hard state and entries, and
 * at the end of every ring batch makes them all durable with one fsync (group commit). Only then
 * does it send the messages that depended on them and report the last durable ready to the
 * consensus thread.
 *
 * <p>Snapshots: a ready carrying a snapshot (a follower catching up) first installs the received
 * snapshot as the node's durable one and resets the log to start after it, before its hard state
 * and entries; a ready's compaction drops the log prefix a durable snapshot covers, in ring order.
 */
final class LogWriterStage implements EventHandler<PersistEvent> {

  private final LogWriter log;
  private final MetaStore meta;
  private final Transport transport;
  private final Runnable wakeConsensus;
  private final SnapshotInstaller installer;
  private final AtomicLong persistedReady = new AtomicLong();

  private final List<RaftMessage> waitingMessages = new ArrayList<>();
  private boolean unsynced;
  private long lastReady;

  private final AtomicLong entriesWritten = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private volatile NodeRecorder recorder = NodeRecorder.NONE;

  /** Makes a received snapshot the node's current durable snapshot. */
  interface SnapshotInstaller {
    void install(SnapshotMeta meta);
  }

  LogWriterStage(
      LogWriter log,
      MetaStore meta,
      Transport transport,
      Runnable wakeConsensus,
      SnapshotInstaller installer) {
    this.log = log;
    this.meta = meta;
    this.transport = transport;
    this.wakeConsensus = wakeConsensus;
    this.installer = installer;
  }

  @Override
  public void onEvent(PersistEvent event, long sequence, boolean endOfBatch) {
    if (event.snapshot.isPresent()) {
      // Raft paper, Figure 13, steps 6-7: the snapshot is durable before the log is discarded.
      SnapshotMeta snapshot = event.snapshot.get();
      installer.install(snapshot);
      log.resetTo(snapshot.lastIndex(), snapshot.lastTerm());
      unsynced = false;
      event.snapshot = Optional.empty();
    }
    // Raft paper, Figure 2: the term and vote are durable before anything that depends on them.
    event.hardState.ifPresent(meta::saveHardState);
    if (!event.entries.isEmpty()) {
      log.append(event.entries);
      entriesWritten.addAndGet(event.entries.size());
      unsynced = true;
    }
    if (event.compactIndex > 0) {
      compact(event.compactIndex);
      event.compactIndex = 0;
    }
    waitingMessages.addAll(event.afterPersist);
    lastReady = event.readyNumber;
    event.entries = List.of();
    event.afterPersist = List.of();
    if (endOfBatch) {
      finishBatch();
    }
  }

  /** Drops the prefix a durable snapshot covers; only durable entries can be covered. */
  private void compact(long upTo) {
    if (unsynced) {
      syncNow();
    }
    log.compactPrefix(Math.min(upTo, log.durableIndex()));
  }

  private void finishBatch() {
    batches.incrementAndGet();
    if (unsynced) {
      syncNow();
    }
    for (RaftMessage m : waitingMessages) {
      transport.send(m);
    }
    waitingMessages.clear();
    persistedReady.set(lastReady);
    wakeConsensus.run();
  }

  private void syncNow() {
    long start = System.nanoTime();
    log.sync();
    recorder.fsynced(System.nanoTime() - start);
    fsyncs.incrementAndGet();
    unsynced = false;
  }

  void recordTo(NodeRecorder recorder) {
    this.recorder = recorder;
  }

  /** The last ready made durable, with every earlier one. */
  long persistedReady() {
    return persistedReady.get();
  }

  long entriesWritten() {
    return entriesWritten.get();
  }

  long batches() {
    return batches.get();
  }

  long fsyncs() {
    return fsyncs.get();
  }
}
