package io.tinykv.raft.node.core.sim;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Randomized deterministic simulation of the consensus core: 3-, 5- and 7-node clusters under
 * partitions, crashes with torn writes, loss, duplication, reordering and leadership churn, with
 * the Raft safety properties checked after every event and liveness checked after healing. In about
 * half the seeds each, a {@link DurabilityNemesis} crashes nodes just before a write of a new term
 * or vote completes, and slows disks down for a while. In three seeds of four, nodes snapshot and
 * compact their logs, and followers that fall behind receive snapshots. The MEMBERSHIP kind adds
 * and removes nodes (the leader too) throughout, or replaces every original member.
 *
 * <p>Seeds 1..{@code sim.seeds} (default 2000, the parent pom's {@code sim.seeds}: about 330 per
 * fault mix) run, grouped by cluster size and fault mix ({@code -Dsim.kinds=MEMBERSHIP,CHAOS} runs
 * only those); each seed fully determines its run. On failure the message names the seed and the
 * command that replays it with the whole trace printed:
 *
 * <pre>
 * ./mvnw -pl raft-node -am test -Dtest=SimulationTest -Dsim.seed=SEED \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>The default seeds take about 30 CPU seconds. For a soak, run many more (100000 seeds take
 * about 15 minutes on 2 cores):
 *
 * <pre>
 * ./mvnw -pl raft-node -am test -Dtest=SimulationTest -Dsim.seeds=100000 \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class SimulationTest {

  private static final int DEFAULT_SEEDS = 2000;

  /**
   * Seeds that expose a known core bug not fixed yet: skipped in group runs (and listed), still run
   * alone with {@code -Dsim.seed}. Empty when the core has no known bug.
   */
  private static final Map<Long, String> KNOWN_CORE_BUGS = Map.of();

  /** How many failing seeds a group lists besides the first one it reports in full. */
  private static final int LISTED_FAILURES = 20;

  @TestFactory
  Stream<DynamicTest> simulate() {
    String single = System.getProperty("sim.seed", "").trim();
    if (!single.isEmpty()) {
      long seed = Long.parseLong(single);
      Scenario scenario = Scenario.fromSeed(seed);
      return Stream.of(
          dynamicTest(
              "seed " + seed + ": " + scenario.group(),
              () -> {
                SimulationRun.Summary summary = SimulationRun.run(scenario, true);
                System.out.println("seed " + seed + " passed: " + scenario + " -> " + summary);
              }));
    }
    Map<String, List<Long>> groups = new LinkedHashMap<>();
    for (Scenario.Kind kind : Scenario.Kind.values()) {
      for (int nodes : Scenario.SIZES) {
        groups.put(Scenario.group(nodes, kind), new ArrayList<>());
      }
    }
    Set<Scenario.Kind> kinds = kinds();
    for (long seed = 1; seed <= seedCount(); seed++) {
      Scenario scenario = Scenario.fromSeed(seed);
      if (KNOWN_CORE_BUGS.containsKey(seed)) {
        System.out.println("seed " + seed + " skipped: " + KNOWN_CORE_BUGS.get(seed));
      } else if (kinds.contains(scenario.kind())) {
        groups.computeIfAbsent(scenario.group(), g -> new ArrayList<>()).add(seed);
      }
    }
    return groups.entrySet().stream()
        .filter(g -> !g.getValue().isEmpty())
        .map(
            g ->
                dynamicTest(
                    g.getKey() + " (" + g.getValue().size() + " seeds)",
                    () -> runGroup(g.getKey(), g.getValue())));
  }

  /** The fault mixes to run ({@code -Dsim.kinds=MEMBERSHIP,CHAOS}); all by default. */
  private static Set<Scenario.Kind> kinds() {
    String value = System.getProperty("sim.kinds", "").trim();
    if (value.isEmpty()) {
      return EnumSet.allOf(Scenario.Kind.class);
    }
    Set<Scenario.Kind> kinds = EnumSet.noneOf(Scenario.Kind.class);
    for (String name : value.split(",", -1)) {
      if (!name.isBlank()) {
        kinds.add(Scenario.Kind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      }
    }
    return kinds;
  }

  private static int seedCount() {
    String value = System.getProperty("sim.seeds", "").trim();
    return value.isEmpty() ? DEFAULT_SEEDS : Integer.parseInt(value);
  }

  /** A seed's result: a summary if it passed, else the failure. */
  private record Outcome(long seed, SimulationRun.Summary summary, AssertionError failure) {}

  /**
   * Runs a group's seeds on all cores (worlds share nothing, so each run stays a pure function of
   * its seed), prints what the group exercised, and reports the lowest failing seed in full,
   * listing the others.
   */
  private static void runGroup(String group, List<Long> seeds) {
    List<Outcome> outcomes =
        seeds.parallelStream()
            .map(SimulationTest::runSeed)
            .sorted(Comparator.comparingLong(Outcome::seed))
            .collect(Collectors.toList());
    List<Outcome> failures =
        outcomes.stream().filter(o -> o.failure() != null).collect(Collectors.toList());
    System.out.println(group + ": " + describe(outcomes));
    if (failures.isEmpty()) {
      return;
    }
    String listed =
        failures.stream()
            .limit(LISTED_FAILURES)
            .map(f -> f.seed() + " (" + firstLine(f.failure()) + ")")
            .collect(Collectors.joining("\n  "));
    Outcome first = failures.get(0);
    throw new AssertionError(
        failures.size()
            + " of "
            + seeds.size()
            + " seeds failed:\n  "
            + listed
            + "\n\nFirst failing seed "
            + first.seed()
            + ":\n"
            + first.failure().getMessage(),
        first.failure());
  }

  private static Outcome runSeed(long seed) {
    try {
      return new Outcome(seed, SimulationRun.run(Scenario.fromSeed(seed), false), null);
    } catch (AssertionError e) {
      return new Outcome(seed, null, e);
    }
  }

  /** Averages over the passing runs, to show that the faults and clients really happened. */
  private static String describe(List<Outcome> outcomes) {
    List<SimulationRun.Summary> passed =
        outcomes.stream()
            .map(Outcome::summary)
            .filter(Objects::nonNull)
            .collect(Collectors.toList());
    if (passed.isEmpty()) {
      return "no seed passed";
    }
    return passed.size()
        + " of "
        + outcomes.size()
        + " seeds passed; per run on average "
        + average(passed, SimulationRun.Summary::ticks)
        + " ticks, "
        + average(passed, SimulationRun.Summary::leaders)
        + " leaders, "
        + average(passed, SimulationRun.Summary::crashes)
        + " crashes, "
        + average(passed, SimulationRun.Summary::acknowledged)
        + " acknowledged writes, "
        + average(passed, SimulationRun.Summary::reads)
        + " reads checked, "
        + average(passed, SimulationRun.Summary::failedReads)
        + " reads refused, "
        + average(passed, SimulationRun.Summary::snapshotsTaken)
        + " snapshots taken, "
        + average(passed, SimulationRun.Summary::snapshotsInstalled)
        + " installed from a leader, "
        + average(passed, SimulationRun.Summary::membershipChanges)
        + " membership changes, "
        + average(passed, SimulationRun.Summary::finalMembers)
        + " final members";
  }

  private static String average(
      List<SimulationRun.Summary> runs, ToLongFunction<SimulationRun.Summary> field) {
    double mean = runs.stream().mapToLong(field).average().orElse(0);
    return String.valueOf(Math.round(mean * 10) / 10.0);
  }

  private static String firstLine(Throwable t) {
    String message = String.valueOf(t.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
