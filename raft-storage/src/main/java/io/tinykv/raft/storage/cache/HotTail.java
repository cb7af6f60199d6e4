package io.tinykv.raft.storage.cache;

import io.tinykv.raft.protocol.LogEntry;

/**
 * The most recent entries of the log, contiguous, in a ring bounded by count and bytes. Entries
 * enter only by being appended; the oldest leave when the bounds are hit.
 *
 * <p>Threading: the log writer adds and truncates, readers look up; all under this object's lock,
 * held only for a few array operations.
 */
final class HotTail {

  private final LogEntry[] ring;
  private final long maxBytes;

  /** Guarded by this: ring[(head + k) % ring.length] holds index first + k, for k < size. */
  private int head;

  private int size;
  private long first;
  private long bytes;

  HotTail(int maxEntries, long maxBytes) {
    this.ring = new LogEntry[maxEntries];
    this.maxBytes = maxBytes;
  }

  synchronized LogEntry get(long index) {
    if (index < first || index >= first + size) {
      return null;
    }
    return ring[(int) ((head + (index - first)) % ring.length)];
  }

  /** The first index held, or {@code Long.MAX_VALUE} if empty. */
  synchronized long firstIndex() {
    return size == 0 ? Long.MAX_VALUE : first;
  }

  synchronized int size() {
    return size;
  }

  /** Adds the next entry of the log; an entry that does not follow the last one resets the tail. */
  synchronized void add(LogEntry entry) {
    if (ring.length == 0) {
      return;
    }
    if (size > 0 && entry.index() != first + size) {
      clear();
    }
    if (entry.sizeInBytes() > maxBytes) {
      clear();
      return;
    }
    while (size == ring.length || bytes + entry.sizeInBytes() > maxBytes) {
      removeOldest();
    }
    if (size == 0) {
      first = entry.index();
    }
    ring[(head + size) % ring.length] = entry;
    size++;
    bytes += entry.sizeInBytes();
  }

  /** Drops entries with index {@code >= index}. */
  synchronized void truncateFrom(long index) {
    while (size > 0 && first + size - 1 >= index) {
      int slot = (head + size - 1) % ring.length;
      bytes -= ring[slot].sizeInBytes();
      ring[slot] = null;
      size--;
    }
  }

  /** Drops entries with index {@code < index}. */
  synchronized void removeBefore(long index) {
    while (size > 0 && first < index) {
      removeOldest();
    }
  }

  private void removeOldest() {
    bytes -= ring[head].sizeInBytes();
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
    first++;
  }

  private void clear() {
    truncateFrom(Long.MIN_VALUE);
    head = 0;
  }
}
