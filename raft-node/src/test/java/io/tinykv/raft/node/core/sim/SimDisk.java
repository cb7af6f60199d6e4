package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

/**
 * One node's disk: the durable hard state, log and latest snapshot, which survive crashes, and a
 * FIFO of readies being written. Writes complete strictly in order, each after its own seeded
 * latency, so readies become durable in number order (the {@link Ready} contract). A ready with
 * nothing to persist still queues, because its persisted messages must wait for every earlier
 * write.
 *
 * <p>A write does what its ready asks, in the contract's order: install the snapshot it carries
 * (which resets the log to start after it), save the hard state, append the entries (truncating a
 * conflicting suffix first), then drop the log prefix its compaction index allows. A snapshot the
 * node takes of its own state machine is durable at once: it only ever covers committed entries,
 * and the log is compacted later, in ready order.
 */
final class SimDisk {

  /** A queued write: a ready, and the snapshot to install with it if it carries one. */
  private record Write(Ready ready, SimSnapshot install) {}

  private HardState hardState;
  private MemoryLog log;

  /** The latest durable snapshot, or null. */
  private SimSnapshot snapshot;

  private final ArrayDeque<Write> queue = new ArrayDeque<>();

  /** When the last queued write completes. */
  private long busyUntil;

  SimDisk(HardState hardState, MemoryLog log) {
    this.hardState = hardState;
    this.log = log;
  }

  HardState hardState() {
    return hardState;
  }

  /** The durable log; the running core reads it directly, as it would read its log files. */
  MemoryLog log() {
    return log;
  }

  /** The latest durable snapshot, or null if none was taken or installed. */
  SimSnapshot snapshot() {
    return snapshot;
  }

  /**
   * Queues a ready and returns the time its write completes. A ready with nothing to persist costs
   * no disk time (there is nothing to sync), but still completes only after the writes before it.
   *
   * @param install the snapshot the ready carries, or null
   */
  long submit(Ready ready, SimSnapshot install, long now, long latency) {
    if (ready.snapshot().isPresent() != (install != null)) {
      throw new IllegalArgumentException("ready #" + ready.number() + " and its snapshot differ");
    }
    busyUntil = Math.max(busyUntil, now) + (ready.mustPersist() ? latency : 0);
    queue.addLast(new Write(ready, install));
    return busyUntil;
  }

  /** Completes the oldest queued write and returns its ready. */
  Ready completeOldest() {
    Write w = queue.removeFirst();
    write(w, w.ready().entries().size());
    compact(w.ready().compactIndex());
    return w.ready();
  }

  /** Saves a snapshot the node took of its own state machine, durably at once. */
  void saveSnapshot(SimSnapshot taken) {
    if (snapshot != null && taken.index() < snapshot.index()) {
      throw new InvariantViolation(
          "Snapshot",
          "a snapshot at " + taken.index() + " would replace one at " + snapshot.index());
    }
    snapshot = taken;
  }

  /**
   * Loses every queued write. The write in progress (the oldest) may be torn: either nothing of it
   * reached the disk, or its snapshot (atomically, as a file renamed into place), its hard state
   * and a prefix of its entries did (any truncation of a conflicting suffix happens before the new
   * entries are written). Its compaction is lost with it: it only reclaims space.
   *
   * @return what the torn write left, for the trace
   */
  String crash(Random random, long now) {
    Write inProgress = queue.peekFirst();
    int lost = queue.size();
    queue.clear();
    busyUntil = now;
    if (inProgress == null || !inProgress.ready().mustPersist()) {
      return lost + " queued writes lost";
    }
    Ready ready = inProgress.ready();
    if (random.nextBoolean()) {
      return lost + " queued writes lost, including #" + ready.number() + " in progress";
    }
    int total = ready.entries().size();
    int kept = total == 0 ? 0 : random.nextInt(total + 1);
    write(inProgress, kept);
    return lost
        + " queued writes lost; #"
        + ready.number()
        + " torn: "
        + (inProgress.install() != null ? "snapshot installed, " : "")
        + "hard state "
        + (ready.hardState().isPresent() ? "written" : "unchanged")
        + ", "
        + kept
        + " of "
        + total
        + " entries written";
  }

  /**
   * After a crash the restarted node opens a copy of what was durable. A snapshot the log does not
   * reach, or whose last entry the log holds in another term (a node that took or restored the
   * snapshot and crashed before its log was reset), replaces the log, as a runtime recovering its
   * storage must do.
   */
  MemoryLog reopen() {
    log = new MemoryLog(log);
    if (snapshot == null) {
      if (log.firstIndex() != 1) {
        throw new InvariantViolation(
            "Compaction", "the log starts at " + log.firstIndex() + " but there is no snapshot");
      }
      return log;
    }
    long index = snapshot.index();
    if (log.firstIndex() - 1 > index) {
      throw new InvariantViolation(
          "Compaction",
          "the log starts at " + log.firstIndex() + " but the snapshot ends at " + index);
    }
    if (log.lastIndex() < index || log.term(index) != snapshot.term()) {
      log.resetTo(index, snapshot.term());
    }
    return log;
  }

  private void write(Write w, int entryCount) {
    Ready ready = w.ready();
    if (w.install() != null) {
      if (snapshot != null && w.install().index() < snapshot.index()) {
        throw new InvariantViolation(
            "Snapshot",
            "installing "
                + w.install()
                + " would replace the newer durable snapshot at "
                + snapshot.index());
      }
      snapshot = w.install();
      log.resetTo(snapshot.index(), snapshot.term());
    }
    ready.hardState().ifPresent(h -> hardState = h);
    List<LogEntry> entries = ready.entries();
    if (entries.isEmpty()) {
      return;
    }
    long first = entries.get(0).index();
    if (first <= log.lastIndex()) {
      log.truncateSuffix(first);
    }
    log.append(entries.subList(0, entryCount));
  }

  /**
   * Drops the log prefix up to {@code index}, clamped to the durable log; a compaction past the
   * durable snapshot would lose entries nothing else holds.
   */
  private void compact(long index) {
    if (index <= 0) {
      return;
    }
    if (snapshot == null || index > snapshot.index()) {
      throw new InvariantViolation(
          "Compaction",
          "compaction up to "
              + index
              + " but the durable snapshot ends at "
              + (snapshot == null ? "nothing" : snapshot.index()));
    }
    log.compactPrefix(Math.min(index, log.lastIndex()));
  }
}
