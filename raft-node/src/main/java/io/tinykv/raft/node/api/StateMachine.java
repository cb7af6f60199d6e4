package io.tinykv.raft.node.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The application state that Raft replicates. Every replica applies the same committed commands in
 * the same order, so {@link #apply} must be deterministic: its effect and result may depend only on
 * the state and the command (no clocks, randomness, or local configuration).
 *
 * <p>Threading: all methods are called from one thread, the node's applier, never concurrently.
 * They may block briefly; a long {@link #snapshot} delays applying (and so client replies) but
 * never the consensus thread.
 *
 * @param <R> the result a command produces for the client that proposed it
 */
public interface StateMachine<R> {

  /**
   * Applies the committed command at {@code index}. Errors that belong to the command (a wrong
   * type, a malformed argument) are results, decided here so that every replica returns the same
   * answer; an exception is reserved for a broken state machine and stops the node.
   */
  R apply(long index, byte[] command);

  /**
   * Writes the whole state, as of the last applied index, to {@code out} in a versioned format that
   * {@link #restore} reads back.
   */
  void snapshot(OutputStream out) throws IOException;

  /** Replaces the whole state with one written by {@link #snapshot}. */
  void restore(InputStream in) throws IOException;
}
