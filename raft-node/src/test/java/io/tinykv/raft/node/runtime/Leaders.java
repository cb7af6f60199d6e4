package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.NodeId;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.awaitility.Awaitility;

/** Waiting for a leader in the in-JVM cluster tests. */
public final class Leaders {

  private Leaders() {}

  /**
   * Waits up to {@code wait} until one of {@code nodes}, other than {@code excluded} if given,
   * reports itself leader, and returns it.
   */
  public static <N extends RaftNode<?>> N await(
      Collection<N> nodes, Optional<NodeId> excluded, Duration wait) {
    return Awaitility.await()
        .atMost(wait)
        .until(
            () ->
                nodes.stream()
                    .filter(n -> excluded.map(e -> !e.equals(n.id())).orElse(true))
                    .filter(n -> n.status().raft().role() == Role.LEADER)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }
}
