package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.LogReader;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The core's view of its log: the durable part read through {@link LogReader}, followed by the
 * {@link Unstable} tail, plus the commit and apply cursors.
 *
 * <p>The core never asks the storage about indexes at or after {@code unstable.offset()}: the
 * runtime may still be rewriting them. Invariants: {@code applied <= handedOut <= committed};
 * {@code handedOut <= persistedIndex()} (committed entries are applied only once durable here).
 */
final class RaftLog {

  /** Returned by {@link #termOrUnknown(long)} for an index outside the log. */
  static final long UNKNOWN = -1;

  private final LogReader storage;
  private final Unstable unstable;
  private long committed;

  /**
   * Everything up to here is covered by a snapshot and never read again, even while the storage
   * still holds it (the runtime compacts the storage later, on its own thread).
   */
  private long compacted;

  /** A compaction not yet handed to the runtime, or 0. */
  private long compactionToEmit;

  /**
   * A snapshot this follower accepted whose installation (storage reset, state machine restore) the
   * runtime has not yet confirmed; while set, the storage is not read at all.
   */
  private SnapshotMeta pendingSnapshot;

  /** The ready that carried {@link #pendingSnapshot}, or 0 if not yet handed out. */
  private long pendingSnapshotReady;

  /** Highest index handed to the runtime for applying. */
  private long handedOut;

  /** Highest index the runtime reported applied. */
  private long applied;

  RaftLog(LogReader storage, long appliedIndex) {
    this.storage = storage;
    this.unstable = new Unstable(storage.lastIndex() + 1);
    long first = storage.firstIndex();
    if (appliedIndex < first - 1 || appliedIndex > storage.lastIndex()) {
      throw new IllegalArgumentException(
          "applied index "
              + appliedIndex
              + " outside durable log ["
              + (first - 1)
              + ", "
              + storage.lastIndex()
              + "]");
    }
    this.committed = appliedIndex;
    this.handedOut = appliedIndex;
    this.applied = appliedIndex;
    this.compacted = first - 1;
  }

  /** The first index still readable; everything before it is in a snapshot. */
  long firstIndex() {
    return compacted + 1;
  }

  long lastIndex() {
    return unstable.isEmpty() ? unstable.offset() - 1 : unstable.lastIndex();
  }

  long lastTerm() {
    return termOrUnknown(lastIndex());
  }

  /** The highest index known durable locally with its current content. */
  long persistedIndex() {
    return unstable.offset() - 1;
  }

  long committed() {
    return committed;
  }

  long applied() {
    return applied;
  }

  /** The term at {@code index}, or {@link #UNKNOWN} if it is compacted or beyond the end. */
  long termOrUnknown(long index) {
    if (index == 0) {
      return 0;
    }
    if (index > lastIndex() || index < compacted) {
      return UNKNOWN;
    }
    if (index >= unstable.offset()) {
      return unstable.entry(index).term();
    }
    if (pendingSnapshot != null) {
      return index == pendingSnapshot.lastIndex() ? pendingSnapshot.lastTerm() : UNKNOWN;
    }
    return storage.term(index);
  }

  boolean matchTerm(long index, long term) {
    long t = termOrUnknown(index);
    return t != UNKNOWN && t == term;
  }

  /** Raft paper, section 5.4.1: is a log ending at (lastIndex, lastTerm) at least as recent? */
  boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
    long myLastTerm = lastTerm();
    return otherLastTerm > myLastTerm
        || (otherLastTerm == myLastTerm && otherLastIndex >= lastIndex());
  }

  /**
   * The entries in {@code [from, toExclusive)}, up to {@code maxBytes} (at least one if the range
   * is not empty).
   */
  List<LogEntry> entries(long from, long toExclusive, long maxBytes) {
    if (from >= toExclusive) {
      return List.of();
    }
    if (from < firstIndex() || toExclusive > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "entries ["
              + from
              + ", "
              + toExclusive
              + ") outside log ["
              + firstIndex()
              + ", "
              + lastIndex()
              + "]");
    }
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    long stableEnd = Math.min(toExclusive, unstable.offset());
    if (from < stableEnd) {
      List<LogEntry> durable = storage.entries(from, stableEnd, maxBytes);
      for (LogEntry e : durable) {
        bytes += e.sizeInBytes();
      }
      out.addAll(durable);
      if (durable.size() < stableEnd - from) {
        return out;
      }
    }
    for (long i = Math.max(from, unstable.offset()); i < toExclusive; i++) {
      LogEntry e = unstable.entry(i);
      if (!out.isEmpty() && bytes + e.sizeInBytes() > maxBytes) {
        break;
      }
      bytes += e.sizeInBytes();
      out.add(e);
    }
    return out;
  }

  /** Appends new entries at the end (the leader's path). */
  void append(LogEntry entry) {
    if (entry.index() != lastIndex() + 1) {
      throw new IllegalStateException(
          "leader append at " + entry.index() + " after last index " + lastIndex());
    }
    unstable.truncateAndAppend(List.of(entry));
  }

  /**
   * The follower's append (Raft paper, Figure 2, AppendEntries receiver steps 2-4): if the log
   * holds {@code prevIndex} with {@code prevTerm}, any conflicting suffix is replaced by the new
   * entries and the index of the last new entry is returned; otherwise {@code -1}.
   */
  long maybeAppend(long prevIndex, long prevTerm, List<LogEntry> newEntries) {
    if (!matchTerm(prevIndex, prevTerm)) {
      return -1;
    }
    long lastNew = prevIndex + newEntries.size();
    for (int i = 0; i < newEntries.size(); i++) {
      LogEntry e = newEntries.get(i);
      if (!matchTerm(e.index(), e.term())) {
        if (e.index() <= committed) {
          throw new IllegalStateException(
              "entry " + e + " conflicts with committed index " + committed);
        }
        unstable.truncateAndAppend(newEntries.subList(i, newEntries.size()));
        break;
      }
    }
    return lastNew;
  }

  /**
   * The largest index {@code <= index} whose term is {@code <= term}: where a follower's log may
   * still agree with a leader's entry of {@code term} (the fast back-up hint).
   */
  long findConflictByTerm(long index, long term) {
    long i = Math.min(index, lastIndex());
    while (i > 0) {
      long t = termOrUnknown(i);
      if (t == UNKNOWN || t <= term) {
        return i;
      }
      i--;
    }
    return 0;
  }

  void commitTo(long index) {
    if (index > committed) {
      if (index > lastIndex()) {
        throw new IllegalStateException(
            "commit index " + index + " beyond last index " + lastIndex());
      }
      committed = index;
    }
  }

  boolean hasUnemitted() {
    return unstable.hasUnemitted();
  }

  /** Entries appended since the last ready, tagged as carried by {@code readyNumber}. */
  List<LogEntry> emitUnstable(long readyNumber) {
    return unstable.emit(readyNumber);
  }

  /** See {@link Unstable#stableTo(long)}; also completes a snapshot installed by that ready. */
  boolean stableTo(long readyNumber) {
    if (pendingSnapshot != null
        && pendingSnapshotReady != 0
        && pendingSnapshotReady <= readyNumber) {
      pendingSnapshot = null;
      pendingSnapshotReady = 0;
    }
    return unstable.stableTo(readyNumber);
  }

  // ---- snapshots ----

  /**
   * Replaces the whole log by a snapshot ending at {@code meta}: a follower whose log cannot catch
   * up otherwise. Everything up to the snapshot counts as committed and handed out for applying
   * (the runtime restores the state machine from the snapshot instead).
   */
  void restore(SnapshotMeta meta) {
    if (meta.lastIndex() <= committed) {
      throw new IllegalStateException(
          "snapshot at " + meta.lastIndex() + " is not ahead of commit index " + committed);
    }
    unstable.restore(meta.lastIndex());
    pendingSnapshot = meta;
    pendingSnapshotReady = 0;
    compacted = meta.lastIndex();
    compactionToEmit = 0;
    committed = meta.lastIndex();
    handedOut = meta.lastIndex();
  }

  boolean hasUnemittedSnapshot() {
    return pendingSnapshot != null && pendingSnapshotReady == 0;
  }

  /** The accepted snapshot not yet handed out, tagged as carried by {@code readyNumber}. */
  Optional<SnapshotMeta> emitSnapshot(long readyNumber) {
    if (!hasUnemittedSnapshot()) {
      return Optional.empty();
    }
    pendingSnapshotReady = readyNumber;
    return Optional.of(pendingSnapshot);
  }

  /**
   * Entries up to {@code upToIndex} are covered by a durable snapshot of the state machine and may
   * be discarded.
   *
   * @throws IllegalArgumentException if they are not all applied yet
   */
  void compact(long upToIndex) {
    if (upToIndex > applied) {
      throw new IllegalArgumentException(
          "cannot compact up to " + upToIndex + ": only " + applied + " is applied");
    }
    if (upToIndex <= compacted) {
      return;
    }
    compacted = upToIndex;
    compactionToEmit = upToIndex;
  }

  boolean hasUnemittedCompaction() {
    return compactionToEmit > 0;
  }

  /** The compaction to hand to the runtime, or 0. */
  long emitCompaction() {
    long out = compactionToEmit;
    compactionToEmit = 0;
    return out;
  }

  /** The highest index that may be handed out for applying: committed and durable here. */
  private long applicableIndex() {
    return Math.min(committed, persistedIndex());
  }

  boolean hasEntriesToApply() {
    return handedOut < applicableIndex();
  }

  /** Committed, durable entries not yet handed out, up to {@code maxBytes}; hands them out. */
  List<LogEntry> takeEntriesToApply(long maxBytes) {
    long upTo = applicableIndex();
    if (handedOut >= upTo) {
      return List.of();
    }
    List<LogEntry> out = entries(handedOut + 1, upTo + 1, maxBytes);
    handedOut = out.get(out.size() - 1).index();
    return out;
  }

  void appliedTo(long index) {
    if (index <= applied) {
      return;
    }
    if (index > handedOut) {
      throw new IllegalArgumentException(
          "applied index " + index + " beyond entries handed out (" + handedOut + ")");
    }
    applied = Math.max(applied, index);
  }
}
