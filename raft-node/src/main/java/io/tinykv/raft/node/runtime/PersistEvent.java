package io.tinykv.raft.node.runtime;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import java.util.List;
import java.util.Optional;

/** A slot of the log ring: one ready's durable part and the messages that wait for it. */
final class PersistEvent {
  long readyNumber;
  Optional<HardState> hardState = Optional.empty();
  List<LogEntry> entries = List.of();
  List<RaftMessage> afterPersist = List.of();
}
