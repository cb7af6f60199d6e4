package io.tinykv.raft.it.linearizability;

/**
 * The sequential specification of one key: its state is an integer or absent. {@code SET v} makes
 * it {@code v}; {@code GET} returns it; {@code INCR} adds one (absent counts as 0) and returns the
 * sum. An indeterminate operation accepts any reply, since none was seen.
 */
final class KvModel {

  /** The state of a key that was never written. No SET may write this value. */
  static final long ABSENT = Long.MIN_VALUE;

  private KvModel() {}

  /** Whether {@code op} may take effect in {@code state} with the reply it got. */
  static boolean accepts(long state, Operation op) {
    if (op.outcome() != Operation.Outcome.OK) {
      return true;
    }
    return switch (op.kind()) {
      case GET ->
          op.result().isPresent()
              ? state != ABSENT && op.result().getAsLong() == state
              : state == ABSENT;
      case INCR -> op.result().getAsLong() == incremented(state);
      case SET -> true;
    };
  }

  /** The state after {@code op} took effect in {@code state}. */
  static long next(long state, Operation op) {
    return switch (op.kind()) {
      case SET -> op.argument();
      case INCR -> incremented(state);
      case GET -> state;
    };
  }

  private static long incremented(long state) {
    return (state == ABSENT ? 0 : state) + 1;
  }
}
