package io.tinykv.raft.it.linearizability;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * One client operation on one key of the key-value store, as a client saw it: when it was invoked,
 * when its reply came (or when the client gave up), and what the reply was.
 *
 * <p>Times are nanoseconds since the history began, from one monotonic clock shared by every client
 * of the history. An operation that {@link Outcome#FAILED failed} definitely took no effect (the
 * server said so); an {@link Outcome#INDETERMINATE indeterminate} one (a timeout, a lost
 * connection, an "outcome unknown" reply) may have taken effect at any moment after its invocation,
 * or never.
 *
 * @param id unique within its history; the order of invocation
 * @param client the client (one thread, one operation at a time) that performed it
 * @param node the node the client sent it to, for the reader of a report
 * @param kind what it did
 * @param key the key it touched
 * @param argument the value written by a {@link Kind#SET}; 0 for the other kinds
 * @param invokedNanos when the client sent it
 * @param completedNanos when the reply came, or when the client gave up on an indeterminate one
 * @param outcome how it ended
 * @param result the value a successful {@link Kind#GET} read (empty: the key was absent) or the
 *     value a successful {@link Kind#INCR} returned; empty otherwise
 * @param note why it failed or is indeterminate (the error), empty for successes
 */
public record Operation(
    int id,
    int client,
    String node,
    Kind kind,
    String key,
    long argument,
    long invokedNanos,
    long completedNanos,
    Outcome outcome,
    OptionalLong result,
    String note) {

  /** The operations of the key-value model. */
  public enum Kind {
    /** Reads a key: its integer value, or absent. */
    GET,
    /** Writes an integer value. */
    SET,
    /** Adds one to the value (an absent key counts as 0) and returns the new value. */
    INCR
  }

  /** How an operation ended. */
  public enum Outcome {
    /** The reply came: the operation took effect exactly once, between invocation and reply. */
    OK,
    /** The server answered that the operation was not applied: it never took effect. */
    FAILED,
    /** No usable answer: it took effect once at some moment after its invocation, or never. */
    INDETERMINATE
  }

  public Operation {
    if (kind != Kind.SET && argument != 0) {
      throw new IllegalArgumentException(kind + " takes no argument: " + argument);
    }
    if (completedNanos < invokedNanos) {
      throw new IllegalArgumentException(
          "operation " + id + " completed (" + completedNanos + ") before invocation");
    }
    boolean hasResult = result.isPresent();
    if (hasResult && (outcome != Outcome.OK || kind == Kind.SET)) {
      throw new IllegalArgumentException(
          "only a successful GET or INCR has a result: " + kind + " " + outcome + " " + result);
    }
    if (outcome == Outcome.OK && kind == Kind.INCR && !hasResult) {
      throw new IllegalArgumentException(
          "a successful INCR returns a value (operation " + id + ")");
    }
  }

  /** One readable line: {@code #12 c3@n2 [ 10.123, 12.456 ms] SET k1 7 -> OK}. */
  public String describe() {
    String end =
        outcome == Outcome.INDETERMINATE
            ? String.format(Locale.ROOT, "%10s", "?")
            : String.format(Locale.ROOT, "%10.3f", completedNanos / 1e6);
    String call = kind == Kind.SET ? kind + " " + key + " " + argument : kind + " " + key;
    String reply =
        switch (outcome) {
          case OK ->
              kind == Kind.SET
                  ? "OK"
                  : result.isPresent() ? Long.toString(result.getAsLong()) : "(nil)";
          case FAILED -> "FAILED, not applied (" + note + ")";
          case INDETERMINATE ->
              String.format(
                  Locale.ROOT,
                  "? indeterminate (%s; client gave up at %.3f ms)",
                  note,
                  completedNanos / 1e6);
        };
    return String.format(
        Locale.ROOT,
        "#%-6d c%-3d %-8s [%10.3f ..%s ms] %s -> %s",
        id,
        client,
        node,
        invokedNanos / 1e6,
        end,
        call,
        reply);
  }
}
