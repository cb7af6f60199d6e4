package io.tinykv.raft.node.core.sim;

/**
 * A broken safety property or contract, found while the simulated world was processing an event.
 * The world turns it into an {@link AssertionError} that carries the seed and the recent trace.
 */
final class InvariantViolation extends RuntimeException {

  InvariantViolation(String property, String detail) {
    super(property + ": " + detail);
  }
}
