package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import java.util.List;

/**
 * The leader replicates {@code entries}, which directly follow the entry at {@code
 * prevLogIndex}/{@code prevLogTerm} (Raft paper, section 5.3), and tells the follower its commit
 * index. An empty list probes for the follower's log position.
 */
public record AppendEntries(
    NodeId from,
    NodeId to,
    long term,
    long prevLogIndex,
    long prevLogTerm,
    List<LogEntry> entries,
    long leaderCommit)
    implements RaftMessage {

  public AppendEntries {
    Messages.requireHeader(from, to, term);
    Messages.requireNonNegative(prevLogIndex, "prevLogIndex");
    Messages.requireNonNegative(prevLogTerm, "prevLogTerm");
    Messages.requireNonNegative(leaderCommit, "leaderCommit");
    entries = List.copyOf(entries);
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).index() != prevLogIndex + 1 + i) {
        throw new IllegalArgumentException(
            "entries must be contiguous after prevLogIndex " + prevLogIndex + ": " + entries);
      }
    }
  }

  /** The index of the last entry carried, or {@code prevLogIndex} if none. */
  public long lastIndex() {
    return prevLogIndex + entries.size();
  }
}
