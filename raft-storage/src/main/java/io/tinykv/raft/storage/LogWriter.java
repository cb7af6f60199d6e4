package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;

/**
 * The mutating half of a Raft log, driven by the runtime's single log-writer thread as it follows
 * the core's output: append a batch, {@link #sync()} once (group commit), then report the returned
 * durable index back to the core.
 *
 * <p><b>Written is not durable.</b> {@link #append} only writes; the entries become visible to
 * {@link LogReader} readers, and may be acknowledged to anyone, only once a later {@link #sync()}
 * has returned an index that covers them. {@link #writtenIndex()} and {@link #durableIndex()} are
 * kept apart for the same reason.
 *
 * <p><b>Threading.</b> Every method of this interface is called by one thread at a time (the log
 * writer); implementations do not guard against concurrent writers. Readers on other threads may
 * run concurrently through {@link LogReader}, limited to durable indexes that are not being
 * truncated or compacted.
 *
 * <p><b>Blocking and failure.</b> Methods block on disk I/O. Any I/O failure throws {@link
 * StorageException} and leaves the log failed: every later mutating call throws too. The caller
 * must stop the node (fail-stop); what was durable before the failure is recovered on restart.
 */
public interface LogWriter {

  /**
   * Writes a contiguous batch. If it starts at or before {@link #writtenIndex()}, the suffix from
   * its first index is truncated first (a follower replacing conflicting entries), exactly as by
   * {@link #truncateSuffix(long)}. The entries are not durable until {@link #sync()} returns.
   *
   * @throws IllegalArgumentException if the batch is not contiguous or does not start within {@code
   *     firstIndex()..writtenIndex() + 1}
   * @throws StorageException if the write failed (fatal)
   */
  void append(List<LogEntry> batch);

  /**
   * Makes everything written so far durable with one fsync (group commit) and returns the new
   * durable index, which readers then see as {@link LogReader#lastIndex()}.
   *
   * @throws StorageException if the fsync failed (fatal: the data may or may not be on disk)
   */
  long sync();

  /** The last index written by {@link #append}, durable or not. */
  long writtenIndex();

  /** The last index made durable by {@link #sync()} (or found on disk at start-up). */
  long durableIndex();

  /**
   * Removes every entry with index {@code >= fromIndex}, durably, before returning: a crash
   * afterwards never brings the removed entries back. Does nothing if {@code fromIndex} is past
   * {@link #writtenIndex()}. The durable index drops to at most {@code fromIndex - 1}.
   *
   * @throws IllegalArgumentException if {@code fromIndex < firstIndex()} (compacted entries cannot
   *     be rewritten)
   */
  void truncateSuffix(long fromIndex);

  /**
   * Forgets the entries up to {@code upToIndex} because a durable snapshot covers them. Afterwards
   * {@code firstIndex() == upToIndex + 1} and {@code term(upToIndex)} still answers. Storage is
   * reclaimed in whole segments, so some covered entries may stay on disk, invisible.
   *
   * @throws IllegalArgumentException if {@code upToIndex} is beyond {@link #durableIndex()}; a
   *     snapshot that is ahead of the log is installed with {@link #resetTo} instead
   */
  void compactPrefix(long upToIndex);

  /**
   * Discards the whole log and restarts it empty after a snapshot that ends at {@code index} with
   * {@code term} (a follower installing a snapshot its log does not match): afterwards {@code
   * firstIndex() == index + 1}, {@code lastIndex() == index} and {@code term(index) == term}. The
   * snapshot must be durable before this is called.
   */
  void resetTo(long index, long term);
}
