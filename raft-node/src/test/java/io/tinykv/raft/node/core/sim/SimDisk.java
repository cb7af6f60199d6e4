package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;

/**
 * One node's disk: the durable hard state and log, which survive crashes, and a FIFO of readies
 * being written. Writes complete strictly in order, each after its own seeded latency, so readies
 * become durable in number order (the {@link Ready} contract). A ready with nothing to persist
 * still queues, because its persisted messages must wait for every earlier write.
 */
final class SimDisk {

  private HardState hardState;
  private MemoryLog log;
  private final ArrayDeque<Ready> queue = new ArrayDeque<>();

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

  /**
   * Queues a ready and returns the time its write completes. A ready with nothing to persist costs
   * no disk time (there is nothing to sync), but still completes only after the writes before it.
   */
  long submit(Ready ready, long now, long latency) {
    busyUntil = Math.max(busyUntil, now) + (ready.mustPersist() ? latency : 0);
    queue.addLast(ready);
    return busyUntil;
  }

  /** Completes the oldest queued write and returns its ready. */
  Ready completeOldest() {
    Ready ready = queue.removeFirst();
    write(ready, ready.entries().size());
    return ready;
  }

  /**
   * Loses every queued write. The write in progress (the oldest) may be torn: either nothing of it
   * reached the disk, or its hard state and a prefix of its entries did (any truncation of a
   * conflicting suffix happens before the new entries are written).
   *
   * @return what the torn write left, for the trace
   */
  String crash(Random random, long now) {
    Ready inProgress = queue.peekFirst();
    int lost = queue.size();
    queue.clear();
    busyUntil = now;
    if (inProgress == null || !inProgress.mustPersist()) {
      return lost + " queued writes lost";
    }
    if (random.nextBoolean()) {
      return lost + " queued writes lost, including #" + inProgress.number() + " in progress";
    }
    int total = inProgress.entries().size();
    int kept = total == 0 ? 0 : random.nextInt(total + 1);
    write(inProgress, kept);
    return lost
        + " queued writes lost; #"
        + inProgress.number()
        + " torn: hard state "
        + (inProgress.hardState().isPresent() ? "written" : "unchanged")
        + ", "
        + kept
        + " of "
        + total
        + " entries written";
  }

  /** After a crash the restarted node opens a copy of what was durable. */
  MemoryLog reopen() {
    log = new MemoryLog(log);
    return log;
  }

  private void write(Ready ready, int entryCount) {
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
}
