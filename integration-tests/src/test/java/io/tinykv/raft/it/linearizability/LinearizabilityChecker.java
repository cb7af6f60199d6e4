package io.tinykv.raft.it.linearizability;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a history of {@link KvModel key-value} operations is linearizable: whether every
 * operation can be given one instant between its invocation and its reply at which it took effect,
 * so that the replies are those of the operations applied one by one in that order.
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization of (set of operations linearized,
 * state) pairs already explored, over a doubly linked list of call and return events as in
 * Porcupine. Keys are independent objects, so a history is linearizable exactly when each key's
 * sub-history is (P-compositionality), and each key is searched on its own.
 *
 * <p>Operations that {@link Operation.Outcome#FAILED failed} are left out, as are indeterminate
 * reads, which have no effect. An indeterminate write's return is at infinity: the search may
 * linearize it anywhere after its invocation, and linearizing it after everything else is the same
 * as its never taking effect. One more reduction keeps many timeouts affordable: where the values
 * written are distinguishable (distinct multiples of {@link #VALUE_STRIDE}), an indeterminate
 * {@code SET v} whose value (or an increment of it) no successful operation ever returned is
 * dropped: if it took effect, nothing observed it before the next write, so a linearization without
 * it exists exactly when one with it does.
 */
public final class LinearizabilityChecker {

  /**
   * Values written by SET that are distinct multiples of this (and fewer INCRs per key than this)
   * can be told apart by every value derived from them: {@code value / VALUE_STRIDE} names the SET
   * it descends from.
   */
  public static final long VALUE_STRIDE = 1_000_000_000L;

  private static final int DEADLINE_CHECK_INTERVAL = 1024;

  private final Duration budgetPerKey;

  /** A checker that gives up on a key (verdict {@link Verdict#UNKNOWN}) after {@code budget}. */
  public LinearizabilityChecker(Duration budgetPerKey) {
    if (budgetPerKey.isNegative() || budgetPerKey.isZero()) {
      throw new IllegalArgumentException("the search budget must be positive: " + budgetPerKey);
    }
    this.budgetPerKey = budgetPerKey;
  }

  /** The verdict on one key's sub-history. */
  public enum Verdict {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    /** The search ran out of its time budget. */
    UNKNOWN
  }

  /**
   * The verdict on one key.
   *
   * @param operations the key's operations that the search considered, by invocation
   * @param searched how many search steps it took
   */
  public record KeyResult(
      String key, Verdict verdict, List<Operation> operations, long searched, Duration took) {}

  /** The verdicts on every key of a history, by key. */
  public record Result(Map<String, KeyResult> keys) {

    public boolean isLinearizable() {
      return keys.values().stream().allMatch(k -> k.verdict() == Verdict.LINEARIZABLE);
    }

    public List<KeyResult> notLinearizable() {
      return keys.values().stream().filter(k -> k.verdict() != Verdict.LINEARIZABLE).toList();
    }

    public String summary() {
      StringBuilder out = new StringBuilder();
      for (KeyResult k : keys.values()) {
        out.append(
            String.format(
                java.util.Locale.ROOT,
                "%s: %s (%d operations searched, %d steps, %d ms)%n",
                k.key(),
                k.verdict(),
                k.operations().size(),
                k.searched(),
                k.took().toMillis()));
      }
      return out.toString();
    }
  }

  /** Checks every key of {@code history}. */
  public Result check(List<Operation> history) {
    Map<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : history) {
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    Map<String, KeyResult> results = new TreeMap<>();
    for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
      results.put(e.getKey(), checkKey(e.getKey(), e.getValue()));
    }
    return new Result(results);
  }

  /** Checks the operations of one key (all must be on {@code key}). */
  public KeyResult checkKey(String key, List<Operation> operations) {
    for (Operation op : operations) {
      if (!op.key().equals(key)) {
        throw new IllegalArgumentException("operation " + op.id() + " is not on key " + key);
      }
      if (op.kind() == Operation.Kind.SET && op.argument() == KvModel.ABSENT) {
        throw new IllegalArgumentException("operation " + op.id() + " writes a reserved value");
      }
    }
    List<Operation> relevant = relevant(operations);
    long started = System.nanoTime();
    Search search = new Search(relevant, started + budgetPerKey.toNanos());
    Verdict verdict = search.run();
    return new KeyResult(
        key, verdict, relevant, search.steps, Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * The operations that constrain the search: without failed ones and indeterminate reads, and
   * without unobserved indeterminate SETs where values are distinguishable; by invocation.
   */
  static List<Operation> relevant(List<Operation> operations) {
    List<Operation> kept = new ArrayList<>();
    for (Operation op : operations) {
      boolean noEffect =
          op.outcome() == Operation.Outcome.FAILED
              || (op.outcome() == Operation.Outcome.INDETERMINATE
                  && op.kind() == Operation.Kind.GET);
      if (!noEffect) {
        kept.add(op);
      }
    }
    if (valuesDistinguishable(kept)) {
      Set<Long> observedLineages = new HashSet<>();
      for (Operation op : kept) {
        if (op.result().isPresent()) {
          observedLineages.add(Math.floorDiv(op.result().getAsLong(), VALUE_STRIDE));
        }
      }
      kept.removeIf(
          op ->
              op.kind() == Operation.Kind.SET
                  && op.outcome() == Operation.Outcome.INDETERMINATE
                  && !observedLineages.contains(op.argument() / VALUE_STRIDE));
    }
    kept.sort(Comparator.comparingLong(Operation::invokedNanos).thenComparingInt(Operation::id));
    return kept;
  }

  private static boolean valuesDistinguishable(List<Operation> operations) {
    Set<Long> written = new HashSet<>();
    long incrs = 0;
    for (Operation op : operations) {
      if (op.kind() == Operation.Kind.SET) {
        long v = op.argument();
        if (v <= 0 || v % VALUE_STRIDE != 0 || !written.add(v)) {
          return false;
        }
      } else if (op.kind() == Operation.Kind.INCR) {
        incrs++;
      }
    }
    return incrs < VALUE_STRIDE;
  }

  /** A call or return event in the search's list. */
  private static final class Entry {
    final Operation op;
    final int index;
    final boolean call;
    final long time;
    Entry match;
    Entry prev;
    Entry next;

    Entry(Operation op, int index, boolean call, long time) {
      this.op = op;
      this.index = index;
      this.call = call;
      this.time = time;
    }
  }

  private record Memo(BitSet linearized, long state) {}

  private record Frame(Entry entry, long state) {}

  /** One Wing-Gong-Lowe search over one key's operations. */
  private static final class Search {
    private final Entry head = new Entry(null, -1, false, Long.MIN_VALUE);
    private final long deadline;
    long steps;

    Search(List<Operation> operations, long deadline) {
      this.deadline = deadline;
      List<Entry> events = new ArrayList<>();
      for (int i = 0; i < operations.size(); i++) {
        Operation op = operations.get(i);
        Entry call = new Entry(op, i, true, op.invokedNanos());
        long returned =
            op.outcome() == Operation.Outcome.INDETERMINATE ? Long.MAX_VALUE : op.completedNanos();
        Entry ret = new Entry(op, i, false, returned);
        call.match = ret;
        events.add(call);
        events.add(ret);
      }
      // By time; at equal times calls first (the operations count as concurrent, the lenient
      // reading of a clock tie); then by operation, so the order is deterministic.
      events.sort(
          Comparator.comparingLong((Entry e) -> e.time)
              .thenComparing(e -> !e.call)
              .thenComparingInt(e -> e.index));
      Entry last = head;
      for (Entry e : events) {
        last.next = e;
        e.prev = last;
        last = e;
      }
    }

    Verdict run() {
      Set<Memo> explored = new HashSet<>();
      Deque<Frame> calls = new ArrayDeque<>();
      BitSet linearized = new BitSet();
      long state = KvModel.ABSENT;
      Entry entry = head.next;
      while (head.next != null) {
        if (++steps % DEADLINE_CHECK_INTERVAL == 0 && System.nanoTime() > deadline) {
          return Verdict.UNKNOWN;
        }
        if (entry.call) {
          boolean advanced = false;
          if (KvModel.accepts(state, entry.op)) {
            long next = KvModel.next(state, entry.op);
            BitSet with = (BitSet) linearized.clone();
            with.set(entry.index);
            if (explored.add(new Memo(with, next))) {
              calls.push(new Frame(entry, state));
              state = next;
              linearized.set(entry.index);
              lift(entry);
              entry = head.next;
              advanced = true;
            }
          }
          if (!advanced) {
            entry = entry.next;
          }
        } else {
          // A return whose call is not linearized yet: undo the last choice and try the next.
          if (calls.isEmpty()) {
            return Verdict.NOT_LINEARIZABLE;
          }
          Frame top = calls.pop();
          state = top.state();
          linearized.clear(top.entry().index);
          unlift(top.entry());
          entry = top.entry().next;
        }
      }
      return Verdict.LINEARIZABLE;
    }

    private static void lift(Entry call) {
      call.prev.next = call.next;
      call.next.prev = call.prev;
      Entry ret = call.match;
      ret.prev.next = ret.next;
      if (ret.next != null) {
        ret.next.prev = ret.prev;
      }
    }

    private static void unlift(Entry call) {
      Entry ret = call.match;
      ret.prev.next = ret;
      if (ret.next != null) {
        ret.next.prev = ret;
      }
      call.prev.next = call;
      call.next.prev = call;
    }
  }
}
