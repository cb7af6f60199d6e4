package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log that is not yet known to be durable: entries appended by the core and either
 * not yet handed to the runtime, or handed out in a {@link Ready} whose persistence has not been
 * acknowledged.
 *
 * <p>Each handed-out range remembers the number of the ready that carried it. An acknowledgement of
 * ready {@code n} makes durable exactly the entries still here that were carried by ready {@code n}
 * or earlier. Entries that a later ready truncated are no longer here, so a stale acknowledgement
 * can never mark a replaced entry as durable (the hazard of acknowledging by index and term alone
 * when a follower's tail is rewritten while writes are in flight).
 *
 * <p>Invariants: {@code entries.get(i).index() == offset + i}; marks cover a prefix of the entries
 * in increasing index and ready-number order; entries from {@code firstUnemitted} on are covered by
 * no mark.
 */
final class Unstable {

  /** A contiguous range of entries, ending at {@code lastIndex}, carried by one ready. */
  private record Mark(long lastIndex, long readyNumber) {}

  private long offset;
  private final ArrayList<LogEntry> entries = new ArrayList<>();
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private long firstUnemitted;

  Unstable(long offset) {
    this.offset = offset;
    this.firstUnemitted = offset;
  }

  /** The index of the first entry here; everything before it is durable. */
  long offset() {
    return offset;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The last index held here; only meaningful when not empty. */
  long lastIndex() {
    return offset + entries.size() - 1;
  }

  boolean contains(long index) {
    return index >= offset && index <= lastIndex();
  }

  LogEntry entry(long index) {
    return entries.get((int) (index - offset));
  }

  /**
   * Appends entries, first truncating anything at or after the first new index. The first index may
   * lie before {@code offset}, replacing part of the durable log: the offset then moves back and
   * the runtime is told to truncate through the next ready.
   */
  void truncateAndAppend(List<LogEntry> newEntries) {
    if (newEntries.isEmpty()) {
      return;
    }
    long first = newEntries.get(0).index();
    if (first > lastIndex() + 1) {
      throw new IllegalStateException(
          "gap: appending at " + first + " after unstable last index " + lastIndex());
    }
    if (first <= offset) {
      entries.clear();
      marks.clear();
      offset = first;
    } else {
      entries.subList((int) (first - offset), entries.size()).clear();
      // Drop the marks of truncated ranges; a range that straddles the cut keeps its prefix.
      while (!marks.isEmpty() && marks.peekLast().lastIndex() >= first) {
        Mark cut = marks.pollLast();
        long rangeStart = marks.isEmpty() ? offset : marks.peekLast().lastIndex() + 1;
        if (rangeStart < first) {
          marks.addLast(new Mark(first - 1, cut.readyNumber()));
        }
      }
    }
    entries.addAll(newEntries);
    firstUnemitted = Math.min(firstUnemitted, first);
  }

  /**
   * Forgets every entry, handed out or not, and restarts after a snapshot ending at {@code index}:
   * a follower installing a snapshot its log does not match. Acknowledgements of earlier readies
   * then make nothing durable here.
   */
  void restore(long index) {
    entries.clear();
    marks.clear();
    offset = index + 1;
    firstUnemitted = offset;
  }

  boolean hasUnemitted() {
    return firstUnemitted <= lastIndex();
  }

  /** Hands out the entries not yet carried by any ready, marking them with {@code readyNumber}. */
  List<LogEntry> emit(long readyNumber) {
    if (!hasUnemitted()) {
      return List.of();
    }
    List<LogEntry> out =
        List.copyOf(entries.subList((int) (firstUnemitted - offset), entries.size()));
    marks.addLast(new Mark(lastIndex(), readyNumber));
    firstUnemitted = lastIndex() + 1;
    return out;
  }

  /**
   * Ready {@code readyNumber} and all earlier ones are durable: drops the entries they carried.
   *
   * @return true if the durable prefix grew
   */
  boolean stableTo(long readyNumber) {
    long newOffset = offset;
    while (!marks.isEmpty() && marks.peekFirst().readyNumber() <= readyNumber) {
      newOffset = marks.pollFirst().lastIndex() + 1;
    }
    if (newOffset == offset) {
      return false;
    }
    entries.subList(0, (int) (newOffset - offset)).clear();
    offset = newOffset;
    return true;
  }
}
