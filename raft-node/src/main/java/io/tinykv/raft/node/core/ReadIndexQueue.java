package io.tinykv.raft.node.core;

import io.tinykv.raft.node.core.tracker.ProgressTracker;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The leader's linearizable reads waiting for leadership to be confirmed (dissertation, section
 * 6.4). Each read records the commit index when it arrived and gets a context number; heartbeats
 * carry the latest context and followers echo it. A read is confirmed once a quorum has echoed its
 * context or a later one: those followers recognised this leader after the read arrived, so no
 * newer leader can have committed anything the read would miss.
 */
final class ReadIndexQueue {

  /** One read: who asked, their id for it, and the index it may be served at. */
  record PendingRead(long context, long requestId, NodeId requester, long index) {}

  private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();

  /** The highest context each voter echoed in this leadership. */
  private final TreeMap<NodeId, Long> acked = new TreeMap<>();

  private long lastContext;

  /** Queues a read at {@code index} and returns the context the next heartbeats must carry. */
  long add(long requestId, NodeId requester, long index) {
    lastContext++;
    pending.addLast(new PendingRead(lastContext, requestId, requester, index));
    return lastContext;
  }

  /** The context for a heartbeat: the latest one if any read is waiting, else 0 (none). */
  long contextToConfirm() {
    return pending.isEmpty() ? 0 : lastContext;
  }

  void recordAck(NodeId from, long context) {
    acked.merge(from, context, Math::max);
  }

  /** Removes and returns the reads a quorum has now confirmed, oldest first. */
  List<PendingRead> takeConfirmed(ProgressTracker tracker, NodeId self) {
    if (pending.isEmpty()) {
      return List.of();
    }
    long confirmed =
        tracker.quorumMinimum(id -> id.equals(self) ? lastContext : acked.getOrDefault(id, 0L));
    List<PendingRead> out = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().context() <= confirmed) {
      out.add(pending.pollFirst());
    }
    return out;
  }

  /** Removes and returns every waiting read, for failing them when leadership ends. */
  List<PendingRead> drain() {
    List<PendingRead> out = new ArrayList<>(pending);
    pending.clear();
    acked.clear();
    return out;
  }
}
