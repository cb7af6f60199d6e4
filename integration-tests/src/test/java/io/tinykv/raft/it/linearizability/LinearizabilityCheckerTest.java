package io.tinykv.raft.it.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.it.linearizability.LinearizabilityChecker.Verdict;
import io.tinykv.raft.it.linearizability.Operation.Kind;
import io.tinykv.raft.it.linearizability.Operation.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker on hand-made histories whose verdict is known, and on seeded random histories made
 * linearizable by construction (then broken on purpose). Times are in milliseconds.
 */
class LinearizabilityCheckerTest {

  private static final String K = "k";
  private static final long A = 1 * LinearizabilityChecker.VALUE_STRIDE;
  private static final long B = 2 * LinearizabilityChecker.VALUE_STRIDE;

  private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(30));
  private final List<Operation> ops = new ArrayList<>();

  @Test
  void emptyHistoryIsLinearizable() {
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void sequentialReadsSeeTheLatestWrite() {
    get(0, 1, null);
    set(2, 3, A);
    get(4, 5, A);
    incr(6, 7, A + 1);
    set(8, 9, B);
    get(10, 11, B);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void readAfterACompletedWriteMustNotBeStale() {
    set(0, 1, A);
    set(2, 3, B);
    get(4, 5, A);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readsConcurrentWithAWriteMaySeeEitherValueButNeverGoBack() {
    set(0, 100, A);
    get(10, 20, null);
    get(30, 40, A);
    get(50, 60, A);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    get(70, 80, null); // A was seen at 30..40: absent again is impossible
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void twoConcurrentWritesCannotBeSeenInBothOrders() {
    set(0, 100, A);
    set(0, 100, B);
    get(10, 20, A);
    get(30, 40, B);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    get(50, 60, A);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void anIncrementIsNeverLost() {
    incr(0, 1, 1);
    incr(2, 3, 1);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void concurrentIncrementsReturnDistinctValues() {
    incr(0, 10, 2);
    incr(0, 10, 1);
    get(11, 12, 2L);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    incr(13, 20, 3);
    incr(13, 20, 3);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void readOfAValueNeverWrittenIsIllegal() {
    set(0, 1, A);
    get(2, 3, B);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void indeterminateWriteMayTakeEffectLongAfterItsClientGaveUp() {
    setUnknown(0, 5, A);
    get(10, 11, null);
    get(1_000, 1_001, A);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void indeterminateWriteMayNeverTakeEffect() {
    setUnknown(0, 5, A);
    get(10, 11, null);
    get(1_000, 1_001, null);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void indeterminateWriteCannotTakeEffectBeforeItsInvocation() {
    get(0, 1, A);
    setUnknown(5, 6, A);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void indeterminateWriteTakesEffectAtMostOnce() {
    setUnknown(0, 5, A);
    set(10, 11, B);
    get(20, 21, A); // A landed after B
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    get(30, 31, B); // ... so B cannot be back without another write
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void indeterminateIncrementMayExplainAGap() {
    incr(0, 1, 1);
    incrUnknown(2, 3);
    incr(10, 11, 3);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    incr(12, 13, 5); // only one unknown increment to explain one gap
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void aFailedWriteMustNeverBeSeen() {
    set(0, 1, A);
    add(Kind.SET, B, 2, 3, Outcome.FAILED, null);
    get(10, 11, A);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);

    get(12, 13, B);
    assertThat(verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void indeterminateReadsAreIgnored() {
    set(0, 1, A);
    add(Kind.GET, 0, 2, 3, Outcome.INDETERMINATE, null);
    assertThat(LinearizabilityChecker.relevant(ops)).hasSize(1);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void unobservedIndeterminateWritesOfDistinctValuesAreDropped() {
    for (int i = 1; i <= 40; i++) {
      setUnknown(i, i + 1, (i + 10) * LinearizabilityChecker.VALUE_STRIDE);
    }
    set(100, 101, A);
    incrUnknown(102, 103);
    get(200, 201, A + 1);
    get(202, 203, 20 * LinearizabilityChecker.VALUE_STRIDE); // observes the write of i = 10

    List<Operation> relevant = LinearizabilityChecker.relevant(ops);
    assertThat(relevant).hasSize(5);
    // A + 1 then the indeterminate write of i = 10 landing late: still linearizable.
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void repeatedValuesAreCheckedWithoutDroppingAnything() {
    set(0, 1, 7);
    setUnknown(2, 3, 7);
    setUnknown(4, 5, 8);
    assertThat(LinearizabilityChecker.relevant(ops)).hasSize(3);
    set(10, 11, 9);
    get(12, 13, 8L);
    assertThat(verdict()).isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void keysAreCheckedIndependently() {
    set(0, 1, A);
    get(2, 3, A);
    ops.add(
        new Operation(99, 1, "n1", Kind.GET, "other", 0, 0, 1, Outcome.OK, OptionalLong.of(5), ""));
    LinearizabilityChecker.Result result = checker.check(ops);
    assertThat(result.keys().get(K).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    assertThat(result.keys().get("other").verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    assertThat(result.isLinearizable()).isFalse();
    assertThat(result.notLinearizable())
        .extracting(LinearizabilityChecker.KeyResult::key)
        .containsExactly("other");
  }

  @Test
  void randomLinearizableHistoriesPassAndACorruptedReadFails() {
    for (long seed = 1; seed <= 60; seed++) {
      boolean distinct = seed % 2 == 0;
      List<Operation> history = RandomHistories.linearizable(seed, 240, 3, distinct);
      LinearizabilityChecker.Result result = checker.check(history);
      assertThat(result.isLinearizable())
          .as("seed %d (distinct values %s):%n%s", seed, distinct, result.summary())
          .isTrue();

      List<Operation> broken = RandomHistories.corruptOneRead(seed, history);
      assertThat(checker.check(broken).isLinearizable())
          .as("seed %d with one read of a value never written", seed)
          .isFalse();
    }
  }

  @Test
  void minimizerFindsAOneMinimalWitness() {
    List<Operation> history =
        RandomHistories.withStaleRead(RandomHistories.linearizable(7, 150, 1, true));
    LinearizabilityChecker.KeyResult result = checker.checkKey("k0", history);
    assertThat(result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);

    List<Operation> minimal =
        new HistoryMinimizer(Duration.ofSeconds(10), Duration.ofSeconds(60))
            .minimize("k0", history);
    assertThat(HistoryMinimizer.explained(minimal)).isTrue();
    assertThat(minimal.size()).isLessThan(10);
    assertThat(checker.checkKey("k0", minimal).verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
    for (int i = 0; i < minimal.size(); i++) {
      List<Operation> less = new ArrayList<>(minimal);
      less.remove(i);
      boolean stillAWitness =
          HistoryMinimizer.explained(less)
              && checker.checkKey("k0", less).verdict() == Verdict.NOT_LINEARIZABLE;
      assertThat(stillAWitness).as("without %s", minimal.get(i).describe()).isFalse();
    }
  }

  @Test
  void reportWritesTheHistoryAndTheMinimalWitness(@TempDir Path dir) throws Exception {
    set(0, 1, A);
    set(2, 3, B);
    get(4, 5, A);
    setUnknown(6, 7, 3 * LinearizabilityChecker.VALUE_STRIDE);
    LinearizabilityChecker.Result result = checker.check(ops);

    List<Path> files =
        HistoryReport.write(
            dir,
            "seed 42",
            ops,
            result,
            new HistoryMinimizer(Duration.ofSeconds(5), Duration.ofSeconds(5)));

    assertThat(files).containsExactly(dir.resolve("history.txt"), dir.resolve("k-minimal.txt"));
    String history = Files.readString(dir.resolve("history.txt"));
    assertThat(history).contains("seed 42", "k: NOT_LINEARIZABLE", "SET k 1000000000 -> OK");
    assertThat(history).contains("SET k 3000000000 -> ? indeterminate");
    String minimal = Files.readString(dir.resolve("k-minimal.txt"));
    assertThat(minimal)
        .contains("SET k 1000000000 -> OK", "SET k 2000000000 -> OK", "GET k -> 1000000000")
        .doesNotContain("3000000000");
  }

  private Verdict verdict() {
    return checker.checkKey(K, ops).verdict();
  }

  private void set(long from, long to, long value) {
    add(Kind.SET, value, from, to, Outcome.OK, null);
  }

  private void setUnknown(long from, long gaveUp, long value) {
    add(Kind.SET, value, from, gaveUp, Outcome.INDETERMINATE, null);
  }

  private void get(long from, long to, Long value) {
    add(Kind.GET, 0, from, to, Outcome.OK, value);
  }

  private void incr(long from, long to, long value) {
    add(Kind.INCR, 0, from, to, Outcome.OK, value);
  }

  private void incrUnknown(long from, long gaveUp) {
    add(Kind.INCR, 0, from, gaveUp, Outcome.INDETERMINATE, null);
  }

  private void add(Kind kind, long argument, long from, long to, Outcome outcome, Long result) {
    ops.add(
        new Operation(
            ops.size(),
            ops.size() % 3,
            "n1",
            kind,
            K,
            argument,
            from * 1_000_000,
            to * 1_000_000,
            outcome,
            result == null ? OptionalLong.empty() : OptionalLong.of(result),
            outcome == Outcome.OK ? "" : "test"));
  }

  /** Seeded histories that are linearizable by construction. */
  static final class RandomHistories {

    private RandomHistories() {}

    /**
     * {@code count} operations on {@code keys} keys: each gets a linearization point (strictly
     * increasing), an interval around it, and the reply of the sequential model at that point. One
     * in eight writes is indeterminate, and half of those never take effect.
     */
    static List<Operation> linearizable(long seed, int count, int keys, boolean distinct) {
      Random random = new Random(seed);
      Map<String, Long> state = new HashMap<>();
      List<Operation> out = new ArrayList<>();
      long point = 0;
      long nextValue = 1;
      for (int i = 0; i < count; i++) {
        point += 1 + random.nextInt(4);
        String key = "k" + random.nextInt(keys);
        long from = Math.max(0, point - random.nextInt(12));
        long to = point + random.nextInt(12);
        int dice = random.nextInt(10);
        Kind kind = dice < 4 ? Kind.GET : dice < 7 ? Kind.SET : Kind.INCR;
        long argument = 0;
        if (kind == Kind.SET) {
          argument =
              distinct ? LinearizabilityChecker.VALUE_STRIDE * nextValue++ : 1 + random.nextInt(3);
        }
        boolean unknown = kind != Kind.GET && random.nextInt(8) == 0;
        boolean applied = !unknown || random.nextBoolean();
        Long before = state.get(key);
        Long result = null;
        if (applied) {
          if (kind == Kind.SET) {
            state.put(key, argument);
          } else if (kind == Kind.INCR) {
            result = (before == null ? 0 : before) + 1;
            state.put(key, result);
          } else {
            result = before;
          }
        }
        if (unknown) {
          // The client gives up before or after the write took effect; the checker must not care.
          to = from + random.nextInt(30);
        }
        out.add(
            new Operation(
                i,
                i % 5,
                "n" + (1 + random.nextInt(3)),
                kind,
                key,
                argument,
                from * 1_000_000,
                to * 1_000_000,
                unknown ? Outcome.INDETERMINATE : Outcome.OK,
                unknown || kind == Kind.SET || result == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(result),
                unknown ? "timeout" : ""));
      }
      return out;
    }

    /** The history with one successful read (chosen by {@code seed}) of a value never written. */
    static List<Operation> corruptOneRead(long seed, List<Operation> history) {
      List<Integer> reads = new ArrayList<>();
      for (int i = 0; i < history.size(); i++) {
        Operation op = history.get(i);
        if (op.kind() == Kind.GET && op.outcome() == Outcome.OK) {
          reads.add(i);
        }
      }
      int victim = reads.get(new Random(seed).nextInt(reads.size()));
      List<Operation> broken = new ArrayList<>(history);
      broken.set(victim, withResult(history.get(victim), -42));
      return broken;
    }

    /**
     * Appends, after everything else, a SET of a new value, a read of it, and a read of the value
     * before it (stale), all on {@code k0}.
     */
    static List<Operation> withStaleRead(List<Operation> history) {
      List<Operation> out = new ArrayList<>(history);
      long end = history.stream().mapToLong(Operation::completedNanos).max().orElse(0) + 1_000_000;
      long fresh = 9_999 * LinearizabilityChecker.VALUE_STRIDE;
      Operation lastWrite =
          out.stream()
              .filter(op -> op.key().equals("k0") && op.kind() == Kind.SET)
              .filter(op -> op.outcome() == Outcome.OK)
              .reduce((a, b) -> b)
              .orElseThrow();
      int id = out.size();
      out.add(op(id, Kind.SET, fresh, end, end + 1, null));
      out.add(op(id + 1, Kind.GET, 0, end + 2, end + 3, fresh));
      out.add(op(id + 2, Kind.GET, 0, end + 4, end + 5, lastWrite.argument()));
      return out;
    }

    private static Operation op(int id, Kind kind, long argument, long from, long to, Long r) {
      return new Operation(
          id,
          0,
          "n1",
          kind,
          "k0",
          argument,
          from,
          to,
          Outcome.OK,
          r == null ? OptionalLong.empty() : OptionalLong.of(r),
          "");
    }

    private static Operation withResult(Operation op, long result) {
      return new Operation(
          op.id(),
          op.client(),
          op.node(),
          op.kind(),
          op.key(),
          op.argument(),
          op.invokedNanos(),
          op.completedNanos(),
          op.outcome(),
          OptionalLong.of(result),
          op.note());
    }
  }
}
