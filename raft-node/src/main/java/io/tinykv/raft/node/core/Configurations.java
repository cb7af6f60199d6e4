package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The configurations in the log (dissertation, section 4.1: a server always uses the latest
 * configuration in its log, committed or not): a base configuration in force before the log's first
 * entry (the snapshot's, or the bootstrap one), then every configuration entry still in the log, by
 * index. A follower whose conflicting suffix is replaced falls back to the configuration before it.
 */
final class Configurations {

  private record Entry(long term, Membership membership) {}

  private Membership base;
  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  Configurations(Membership base) {
    this.base = base;
  }

  /** The configuration in force: the latest one in the log. */
  Membership current() {
    return entries.isEmpty() ? base : entries.lastEntry().getValue().membership();
  }

  /** The index of the latest configuration entry, or 0 if the base is in force. */
  long currentIndex() {
    return entries.isEmpty() ? 0 : entries.lastKey();
  }

  /** The configuration in force at {@code index} (the latest entry at or before it). */
  Membership at(long index) {
    Map.Entry<Long, Entry> e = entries.floorEntry(index);
    return e == null ? base : e.getValue().membership();
  }

  /** Records the configuration entries among {@code appended} (in log order). */
  void onAppended(List<LogEntry> appended) {
    for (LogEntry e : appended) {
      if (e.type() == EntryType.CONFIGURATION) {
        entries.put(e.index(), new Entry(e.term(), decode(e)));
      }
    }
  }

  /**
   * Forgets entries from {@code fromIndex} on that the log no longer holds: where the log now has
   * another term at that index (a follower's replaced suffix), or no entry at all.
   *
   * @param termAt the log's term at an index, or a negative value if it holds none
   */
  void dropReplaced(long fromIndex, LongUnaryOperator termAt) {
    entries
        .tailMap(fromIndex, true)
        .entrySet()
        .removeIf(e -> termAt.applyAsLong(e.getKey()) != e.getValue().term());
  }

  /** Entries up to {@code upToIndex} are compacted: the configuration at that index is the base. */
  void compact(long upToIndex) {
    base = at(upToIndex);
    entries.headMap(upToIndex, true).clear();
  }

  /** A snapshot replaced the whole log. */
  void restore(Membership snapshotMembership) {
    base = snapshotMembership;
    entries.clear();
  }

  static Membership decode(LogEntry entry) {
    try {
      return MembershipCodec.decodeEntry(entry.payload());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "configuration entry " + entry.index() + "@" + entry.term() + " is unreadable", e);
    }
  }
}
