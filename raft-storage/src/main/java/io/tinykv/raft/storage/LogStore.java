package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;

/**
 * A durable Raft log: the read side the core uses ({@link LogReader}) and the write side the
 * log-writer thread uses ({@link LogWriter}), plus a few lookups both find convenient.
 *
 * <p><b>Threading.</b> One writer thread calls the {@link LogWriter} methods and {@link #close()};
 * any number of threads may call the read methods concurrently with it, for indexes that are
 * durable and not being truncated or compacted at that moment. Readers never see an entry before it
 * is durable: {@link #lastIndex()} is the durable index.
 */
public interface LogStore extends LogReader, LogWriter, AutoCloseable {

  /** The term of {@link #lastIndex()} (the term before the first index if the log is empty). */
  default long lastTerm() {
    return term(lastIndex());
  }

  /**
   * The durable entry at {@code index}.
   *
   * @throws IndexOutOfBoundsException if it is not within {@code firstIndex()..lastIndex()}
   */
  LogEntry entry(long index);

  /**
   * Up to {@code maxCount} durable entries from {@code fromIndex} on, stopping early once their
   * total {@link LogEntry#sizeInBytes()} would exceed {@code maxBytes}; at least one entry if
   * {@code fromIndex <= lastIndex()} and {@code maxCount > 0}, none if {@code fromIndex ==
   * lastIndex() + 1}. Named apart from {@link #entries(long, long, long)} so that a count can never
   * be taken for an end index.
   *
   * @throws IndexOutOfBoundsException if {@code fromIndex} is outside {@code
   *     firstIndex()..lastIndex() + 1}
   */
  List<LogEntry> entriesFrom(long fromIndex, int maxCount, long maxBytes);

  /** Releases files and memory; a later call of any method fails. Called by the writer thread. */
  @Override
  void close();
}
