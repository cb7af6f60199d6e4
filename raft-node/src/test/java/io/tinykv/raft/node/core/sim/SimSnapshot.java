package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.SnapshotMeta;
import java.util.List;

/**
 * A snapshot in the simulated world: its meta and the state machine it captures. A simulated state
 * machine is the list of entries it applied, so the state of a snapshot ending at index i is the
 * committed log's first i entries (State Machine Safety makes it the same on every node).
 */
record SimSnapshot(SnapshotMeta meta, List<LogEntry> state) {

  SimSnapshot {
    state = List.copyOf(state);
    if (state.size() != meta.lastIndex() || state.get(state.size() - 1).term() != meta.lastTerm()) {
      throw new IllegalArgumentException(
          "snapshot " + meta + " does not end its state of " + state.size() + " entries");
    }
  }

  long index() {
    return meta.lastIndex();
  }

  long term() {
    return meta.lastTerm();
  }

  @Override
  public String toString() {
    return "snapshot " + index() + "@" + term() + " " + meta.membership();
  }
}
