package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.kv.resp.Reply;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The results of the last {@code SUBMIT}s proposed through this node, by log index, for {@code
 * RESULT <index>}. Bounded: once full, the oldest submit is forgotten. Thread-safe.
 */
final class SubmittedResults {

  private final int capacity;

  /** In submit order, so the eldest entry is the one to forget; guarded by {@code this}. */
  private final Map<Long, Submitted<Reply>> byIndex;

  SubmittedResults(int capacity) {
    this.capacity = capacity;
    this.byIndex =
        new LinkedHashMap<>() {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Long, Submitted<Reply>> eldest) {
            return size() > SubmittedResults.this.capacity;
          }
        };
  }

  /**
   * Keeps {@code submitted}. A later submit at the same index (the first was overwritten after a
   * leader change) replaces it.
   */
  synchronized void remember(Submitted<Reply> submitted) {
    byIndex.remove(submitted.index());
    byIndex.put(submitted.index(), submitted);
  }

  synchronized Optional<Submitted<Reply>> get(long index) {
    return Optional.ofNullable(byIndex.get(index));
  }

  int capacity() {
    return capacity;
  }
}
