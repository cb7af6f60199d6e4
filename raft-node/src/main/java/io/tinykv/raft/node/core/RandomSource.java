package io.tinykv.raft.node.core;

/**
 * Where the core gets its randomness (only for election timeouts). Injected so that a seeded source
 * makes every run reproducible. Called only from the thread that owns the core.
 */
@FunctionalInterface
public interface RandomSource {

  /** A uniformly distributed value in {@code [0, bound)}; {@code bound > 0}. */
  int nextInt(int bound);
}
