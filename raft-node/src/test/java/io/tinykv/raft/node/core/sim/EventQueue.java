package io.tinykv.raft.node.core.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Virtual time and the pending events of one simulated world. Events run in time order; events due
 * at the same time run in the order they were scheduled (a sequence number breaks the tie), so a
 * run never depends on how the priority queue orders equal keys.
 */
final class EventQueue {

  private record Event(long time, long seq, Runnable action) {}

  private final PriorityQueue<Event> queue =
      new PriorityQueue<>(Comparator.comparingLong(Event::time).thenComparingLong(Event::seq));

  private long now;
  private long nextSeq;

  /** The current virtual time, in time units (see {@link World#TICK}). */
  long now() {
    return now;
  }

  void at(long time, Runnable action) {
    if (time < now) {
      throw new IllegalArgumentException("cannot schedule at " + time + ", before now " + now);
    }
    queue.add(new Event(time, nextSeq++, action));
  }

  /** How many events are pending. */
  int size() {
    return queue.size();
  }

  void after(long delay, Runnable action) {
    at(now + delay, action);
  }

  /**
   * Removes the next event due no later than {@code limit} and moves the clock to it; if there is
   * none, moves the clock to {@code limit} and returns null.
   */
  Runnable pollDue(long limit) {
    Event next = queue.peek();
    if (next == null || next.time() > limit) {
      now = Math.max(now, limit);
      return null;
    }
    queue.poll();
    now = next.time();
    return next.action();
  }
}
