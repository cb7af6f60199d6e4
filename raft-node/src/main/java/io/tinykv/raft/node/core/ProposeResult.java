package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/**
 * The outcome of offering a command to the core. Acceptance only means the entry was appended to
 * the leader's log at {@code index} in {@code term}: it is committed once an entry with that index
 * and term shows up in {@link Ready#committedEntries()}; if another entry is committed at that
 * index instead, the proposal was lost and its outcome is definite (it did not happen).
 */
public sealed interface ProposeResult {

  record Accepted(long index, long term) implements ProposeResult {}

  record Rejected(RejectReason reason, Optional<NodeId> leaderHint) implements ProposeResult {}
}
