package io.tinykv.raft.it.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks a non-linearizable single-key history to a small sub-history that is still not
 * linearizable, for a human to read: delta debugging that drops runs of operations, halving the run
 * length down to single operations. A sub-history is a witness for the reader, not a history the
 * cluster produced; to keep it telling, a candidate must still {@linkplain #explained explain}
 * every value it reads (otherwise dropping the write of a value read would leave a one-line "read
 * of a value never written"), unless the full history already fails that. With enough time the
 * result is 1-minimal: dropping any one more operation makes it linearizable or unexplained.
 */
public final class HistoryMinimizer {

  private final LinearizabilityChecker checker;
  private final Duration budget;

  /**
   * @param perCheck the search budget of each trial (a trial that runs out counts as linearizable)
   * @param budget the time for the whole minimization; when it runs out the smallest witness so far
   *     is returned
   */
  public HistoryMinimizer(Duration perCheck, Duration budget) {
    this.checker = new LinearizabilityChecker(perCheck);
    this.budget = budget;
  }

  /** A small non-linearizable sub-history of {@code key}'s {@code operations}. */
  public List<Operation> minimize(String key, List<Operation> operations) {
    if (!knownIllegal(key, operations)) {
      throw new IllegalArgumentException("the history of " + key + " is not known to be illegal");
    }
    long deadline = System.nanoTime() + budget.toNanos();
    List<Operation> current = LinearizabilityChecker.relevant(operations);
    boolean keepExplained = explained(current);
    int run = Math.max(1, current.size() / 2);
    while (System.nanoTime() < deadline) {
      boolean dropped = false;
      int start = 0;
      while (start < current.size() && System.nanoTime() < deadline) {
        List<Operation> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(Math.min(current.size(), start + run), current.size()));
        if (!candidate.isEmpty()
            && (!keepExplained || explained(candidate))
            && knownIllegal(key, candidate)) {
          current = candidate;
          dropped = true;
        } else {
          start += run;
        }
      }
      if (!dropped) {
        if (run == 1) {
          break;
        }
        run = Math.max(1, run / 2);
      }
    }
    return current;
  }

  /**
   * Whether every value a successful operation returned could come from the operations present: a
   * GET of {@code v} needs a SET of {@code v - i} and an INCR of {@code v} a SET of {@code v - 1 -
   * i} (or, counting from absent, no SET at all), for some {@code i} from 0 to the number of INCRs
   * in {@code operations}. A read of absent needs nothing.
   */
  static boolean explained(List<Operation> operations) {
    long incrs = operations.stream().filter(op -> op.kind() == Operation.Kind.INCR).count();
    List<Long> written =
        operations.stream()
            .filter(op -> op.kind() == Operation.Kind.SET)
            .map(Operation::argument)
            .toList();
    for (Operation op : operations) {
      if (op.result().isEmpty()) {
        continue;
      }
      long r = op.result().getAsLong();
      long from = op.kind() == Operation.Kind.INCR ? r - 1 : r;
      boolean fromAbsent = op.kind() == Operation.Kind.INCR && r >= 1 && r <= incrs;
      boolean fromWrite = written.stream().anyMatch(a -> from - a >= 0 && from - a <= incrs);
      if (!fromAbsent && !fromWrite) {
        return false;
      }
    }
    return true;
  }

  /** Whether the search proves {@code operations} not linearizable within its budget. */
  private boolean knownIllegal(String key, List<Operation> operations) {
    return checker.checkKey(key, operations).verdict()
        == LinearizabilityChecker.Verdict.NOT_LINEARIZABLE;
  }
}
