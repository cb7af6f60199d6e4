package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.message.RaftMessage;

/**
 * What differs between roles. {@link Raft} owns the shared state and the transitions; it swaps the
 * behaviour object on every transition, so role-specific state (votes, replication, reads) lives
 * and dies with the role.
 */
interface RoleBehaviour {

  Role role();

  /** One logical tick has passed. */
  void tick();

  /**
   * Handles a message that passed the term checks: it carries the current term (or is a granted
   * pre-vote response). Vote requests are handled by {@link Raft} for every role.
   */
  void step(RaftMessage message);

  /** Local entries became durable. */
  default void onPersisted() {}

  /** A ready is being collected: send what was batched up since the last one. */
  default void flush() {}

  /** True if {@link #flush()} has something to send. */
  default boolean hasPendingFlush() {
    return false;
  }

  /** The role is being left: release what it holds. */
  default void onExit() {}
}
