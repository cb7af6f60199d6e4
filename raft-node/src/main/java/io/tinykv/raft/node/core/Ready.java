package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.List;
import java.util.Optional;

/**
 * One numbered batch of work the core hands to its runtime. The contract, which is what keeps Raft
 * safe under an asynchronous persistence stage:
 *
 * <ol>
 *   <li>{@link #messages()} may be sent at once, in parallel with persisting this batch (the
 *       leader's replication runs alongside its own fsync).
 *   <li>{@link #hardState()} (if present) and then {@link #entries()} must be made durable, readies
 *       strictly in number order. If the first entry's index is not past the durable log's last
 *       index, the durable suffix from that index is truncated first (a follower replacing
 *       conflicting entries).
 *   <li>Only after this batch and every earlier one is durable may {@link #persistedMessages()} be
 *       sent (votes and append acknowledgements depend on durable state), and then {@link
 *       RawNode#onPersisted(long)} is called with {@link #number()}.
 *   <li>{@link #committedEntries()} are applied to the state machine in order, after those of
 *       earlier readies, and {@link RawNode#onApplied(long)} reports progress. They are always
 *       already durable locally.
 *   <li>A {@link ReadState} may be answered once the state machine has applied its index.
 *   <li>{@link #snapshot()} (a follower only): before this batch's hard state and entries, the
 *       runtime makes the staged snapshot with this meta its current durable snapshot and resets
 *       the durable log to start after it ({@code LogWriter.resetTo}); the applier restores the
 *       state machine from it after the entries of earlier readies and before any later committed
 *       entries, and then counts its last index as applied.
 *   <li>{@link #snapshotRequests()} (a leader only): stream the latest durable snapshot to each
 *       follower named, then report the outcome with {@link RawNode#reportSnapshot}.
 *   <li>{@link #compactIndex()}, if positive: the durable log may drop entries up to that index
 *       (after the entries of earlier readies are durable); the core no longer reads them.
 * </ol>
 */
public record Ready(
    long number,
    Optional<SoftState> softState,
    Optional<HardState> hardState,
    List<LogEntry> entries,
    List<RaftMessage> messages,
    List<RaftMessage> persistedMessages,
    List<LogEntry> committedEntries,
    List<ReadState> readStates,
    List<ReadFailure> failedReads,
    Optional<SnapshotMeta> snapshot,
    List<SnapshotRequest> snapshotRequests,
    long compactIndex) {

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    persistedMessages = List.copyOf(persistedMessages);
    committedEntries = List.copyOf(committedEntries);
    readStates = List.copyOf(readStates);
    failedReads = List.copyOf(failedReads);
    snapshotRequests = List.copyOf(snapshotRequests);
  }

  /** True if this batch has a snapshot, a hard state or entries to make durable. */
  public boolean mustPersist() {
    return snapshot.isPresent() || hardState.isPresent() || !entries.isEmpty();
  }
}
