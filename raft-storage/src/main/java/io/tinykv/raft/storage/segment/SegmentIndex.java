package io.tinykv.raft.storage.segment;

import java.util.Arrays;

/**
 * Where each entry of one segment starts and what term it has: {@code start(i)} and {@code term(i)}
 * for the {@code i}-th entry, and {@code start(count)} is where the next record goes.
 *
 * <p>Threading: only the log writer mutates an index. Readers on other threads read entries the
 * writer published as durable through a volatile write; every array a reader can see after that
 * holds those entries, because arrays are only ever replaced by larger copies.
 */
final class SegmentIndex {

  /** starts[i] is the file offset of entry i; starts[count] is the end of the last record. */
  private volatile int[] starts;

  private volatile long[] terms;
  private int count;

  SegmentIndex(int dataStart, int capacity) {
    this.terms = new long[Math.max(1, capacity)];
    this.starts = new int[terms.length + 1];
    this.starts[0] = dataStart;
  }

  int count() {
    return count;
  }

  int start(int i) {
    return starts[i];
  }

  /** The end of entry {@code i}'s record. */
  int end(int i) {
    return starts[i + 1];
  }

  long term(int i) {
    return terms[i];
  }

  /** Adds the next entry, whose record ends at {@code end}. */
  void add(long term, int end) {
    if (count == terms.length) {
      int capacity = count * 2;
      terms = Arrays.copyOf(terms, capacity);
      starts = Arrays.copyOf(starts, capacity + 1);
    }
    terms[count] = term;
    starts[count + 1] = end;
    count++;
  }

  /** Forgets entries from the {@code newCount}-th on. */
  void truncate(int newCount) {
    if (newCount < count) {
      count = newCount;
    }
  }
}
