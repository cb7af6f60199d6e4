package io.tinykv.raft.storage.segment;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Bounds how many sealed segments keep their index in memory: the least recently read one drops its
 * index when a new one is loaded past the bound.
 *
 * <p>Threading: readers and the writer call it concurrently; every method holds this object's lock
 * briefly.
 */
final class SealedIndexes {

  private final int max;

  /** Guarded by this; in access order, eldest first. */
  private final LinkedHashMap<Segment, Boolean> loaded = new LinkedHashMap<>(16, 0.75f, true);

  SealedIndexes(int max) {
    this.max = max;
  }

  /** Notes that {@code segment}'s index was used, evicting others' past the bound. */
  synchronized void used(Segment segment) {
    if (!segment.isSealed()) {
      return;
    }
    loaded.put(segment, Boolean.TRUE);
    Iterator<Segment> eldest = loaded.keySet().iterator();
    while (loaded.size() > max) {
      eldest.next().dropIndex();
      eldest.remove();
    }
  }

  synchronized void forget(Segment segment) {
    loaded.remove(segment);
  }
}
