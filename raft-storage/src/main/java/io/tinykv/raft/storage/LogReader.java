package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;

/**
 * Read access to the durable part of a Raft log, as the consensus core sees it.
 *
 * <p>The log holds the entries {@code firstIndex()..lastIndex()}; everything before {@code
 * firstIndex()} has been compacted into a snapshot whose last entry's term is still known, so
 * {@link #term(long)} answers for {@code firstIndex() - 1} as well. An empty log has {@code
 * lastIndex() == firstIndex() - 1}.
 *
 * <p>Threading: the core reads from its own thread while a log writer may be appending or
 * truncating the tail from another. Implementations must give consistent answers for indices the
 * caller knows to be durable and not being truncated (the core never asks about others).
 */
public interface LogReader {

  /** The index of the first entry held; {@code 1} for a log that was never compacted. */
  long firstIndex();

  /** The index of the last durable entry, or {@code firstIndex() - 1} if none. */
  long lastIndex();

  /**
   * The term of the entry at {@code index}, for {@code firstIndex() - 1 <= index <= lastIndex()};
   * the term of index 0 is 0.
   *
   * @throws IndexOutOfBoundsException if the index lies outside that range
   */
  long term(long index);

  /**
   * The entries in {@code [fromIndex, toIndexExclusive)}, stopping early once their total {@link
   * LogEntry#sizeInBytes()} would exceed {@code maxBytes}; at least one entry is returned when the
   * range is non-empty, whatever its size.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code firstIndex()..lastIndex()}
   */
  List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes);
}
