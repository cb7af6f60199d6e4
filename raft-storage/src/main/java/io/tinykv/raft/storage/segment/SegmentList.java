package io.tinykv.raft.storage.segment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;

/**
 * The segments of one log, oldest first and contiguous, the last one taking appends; and the lock
 * that keeps them steady for readers.
 *
 * <p>Threading: only the log writer changes the list, always under the write lock, so the writer
 * reads it without locking. Readers go through {@link #read}, which holds the read lock while they
 * use a segment, so that a segment is never cut, closed or deleted under a reader. Appends and
 * fsyncs of the last segment take no lock.
 */
final class SegmentList {

  /** A read of one segment. */
  @FunctionalInterface
  interface SegmentRead<T> {
    T apply(Segment segment) throws IOException;
  }

  /** A change of the list or of a segment readers may be using. */
  @FunctionalInterface
  interface Change {
    void run() throws IOException;
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final SealedIndexes sealedIndexes;

  /** Guarded by lock for changes; never empty. */
  private final List<Segment> segments;

  SegmentList(List<Segment> segments, int maxLoadedSealedIndexes) {
    this.segments = new ArrayList<>(segments);
    this.sealedIndexes = new SealedIndexes(maxLoadedSealedIndexes);
  }

  /** The segment taking appends (writer thread). */
  Segment active() {
    return segments.get(segments.size() - 1);
  }

  /** The oldest segment (writer thread). */
  Segment first() {
    return segments.get(0);
  }

  /**
   * Runs {@code read} on the segment holding {@code index}, with the list held steady.
   *
   * @throws IndexOutOfBoundsException if {@code index} is below {@code firstIndex} once the list is
   *     held (it was compacted meanwhile)
   */
  <T> T read(long index, LongSupplier firstIndex, SegmentRead<T> read) throws IOException {
    lock.readLock().lock();
    try {
      if (index < firstIndex.getAsLong()) {
        throw new IndexOutOfBoundsException(index + " was compacted while being read");
      }
      Segment segment = segments.get(positionOf(index));
      T result = read.apply(segment);
      sealedIndexes.used(segment);
      return result;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The number of segment files and their total size, with the list held steady (any thread). */
  SegmentFiles files() throws IOException {
    lock.readLock().lock();
    try {
      long bytes = 0;
      for (Segment segment : segments) {
        bytes += segment.fileSize();
      }
      return new SegmentFiles(segments.size(), bytes);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Runs a change that readers must not overlap (writer thread). */
  void exclusive(Change change) throws IOException {
    lock.writeLock().lock();
    try {
      change.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds a new last segment after the current one was sealed (writer thread). */
  void roll(Segment sealed, Segment next) throws IOException {
    exclusive(() -> segments.add(next));
    sealedIndexes.used(sealed);
  }

  /**
   * Cuts the segment holding {@code fromIndex} before it and deletes every later one, newest first;
   * the caller holds {@link #exclusive}. Returns true if files were deleted.
   */
  boolean cutFrom(long fromIndex) throws IOException {
    int position = positionOf(fromIndex);
    Segment target = segments.get(position);
    target.truncate(fromIndex);
    sealedIndexes.forget(target);
    boolean deleted = false;
    while (segments.size() > position + 1) {
      delete(segments.remove(segments.size() - 1));
      deleted = true;
    }
    return deleted;
  }

  /** Removes the sealed segments wholly at or before {@code index}, oldest first (writer). */
  List<Segment> removeSealedUpTo(long index) throws IOException {
    List<Segment> removed = new ArrayList<>();
    exclusive(
        () -> {
          while (segments.size() > 1
              && segments.get(0).isSealed()
              && segments.get(0).lastIndex() <= index) {
            removed.add(segments.remove(0));
          }
        });
    return removed;
  }

  /** Replaces the (only, empty) segment with {@code fresh}; the caller holds {@link #exclusive}. */
  void replaceOnly(Segment fresh) throws IOException {
    delete(segments.remove(0));
    segments.add(fresh);
  }

  /** Closes and deletes a segment no longer in the list (the caller fsyncs the directory). */
  void delete(Segment segment) throws IOException {
    sealedIndexes.forget(segment);
    segment.delete();
  }

  void closeAll() throws IOException {
    exclusive(
        () -> {
          for (Segment segment : segments) {
            segment.close();
          }
        });
  }

  /** The position of the last segment starting at or before {@code index}. */
  private int positionOf(long index) {
    int low = 0;
    int high = segments.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (segments.get(mid).firstIndex() <= index) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }
}
