package io.tinykv.raft.node.runtime;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.List;
import java.util.Optional;

/** A slot of the log ring: one ready's durable part and the messages that wait for it. */
final class PersistEvent {
  long readyNumber;

  /** A snapshot to install before anything else of this ready (a follower catching up). */
  Optional<SnapshotMeta> snapshot = Optional.empty();

  /** If positive, the log may drop entries up to here once earlier appends are durable. */
  long compactIndex;

  Optional<HardState> hardState = Optional.empty();
  List<LogEntry> entries = List.of();
  List<RaftMessage> afterPersist = List.of();
}
