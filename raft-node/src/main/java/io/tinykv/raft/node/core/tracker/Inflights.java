package io.tinykv.raft.node.core.tracker;

/**
 * The appends sent to one follower and not yet acknowledged, as a ring of their last indexes: the
 * leader's sliding window for pipelined replication. Full when either the count or the byte budget
 * is used up.
 */
public final class Inflights {

  private final long[] lastIndexes;
  private final long[] sizes;
  private final long maxBytes;
  private int start;
  private int count;
  private long bytes;

  public Inflights(int capacity, long maxBytes) {
    if (capacity < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("capacity and maxBytes must be >= 1");
    }
    this.lastIndexes = new long[capacity];
    this.sizes = new long[capacity];
    this.maxBytes = maxBytes;
  }

  /** Records an append whose last entry is {@code lastIndex}; indexes must increase. */
  public void add(long lastIndex, long size) {
    if (isFull()) {
      throw new IllegalStateException("cannot add to a full in-flight window");
    }
    if (count > 0 && lastIndexes[(start + count - 1) % lastIndexes.length] >= lastIndex) {
      throw new IllegalStateException("in-flight indexes must increase, got " + lastIndex);
    }
    int slot = (start + count) % lastIndexes.length;
    lastIndexes[slot] = lastIndex;
    sizes[slot] = size;
    count++;
    bytes += size;
  }

  /** Frees every append whose last index is {@code <= index} (acknowledged). */
  public void freeLe(long index) {
    while (count > 0 && lastIndexes[start] <= index) {
      freeFirst();
    }
  }

  /** Frees the oldest append, so a window stuck on a lost message can move on. */
  public void freeFirst() {
    if (count == 0) {
      return;
    }
    bytes -= sizes[start];
    start = (start + 1) % lastIndexes.length;
    count--;
  }

  public boolean isFull() {
    return count == lastIndexes.length || bytes >= maxBytes;
  }

  public int count() {
    return count;
  }

  public void reset() {
    start = 0;
    count = 0;
    bytes = 0;
  }
}
