package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.RaftConfig;
import java.util.List;
import java.util.Random;

/**
 * What one seed of the randomized simulation does: cluster size, fault mix, settings and rates. A
 * pure function of the seed, so the seed alone replays a run.
 *
 * @param faultGapTicks the most ticks between two faults
 * @param unsyncedCrashOdds for each write that changes a node's term or vote, or carries a vote,
 *     the odds that the {@link DurabilityNemesis} crashes the node before it completes (0: never)
 * @param slowDiskGapTicks the most ticks between two slow-disk phases (0: none)
 * @param snapshotEvery nodes snapshot their state machine after applying this many entries since
 *     the last snapshot, and compact their logs (0: never)
 * @param maxRetainedEntries a snapshot compacts the log up to at most this many entries before it
 * @param learnerCatchUpEntries how close a learner must be to the leader's log to be promoted
 * @param membershipGapTicks the most ticks between two attempted membership changes
 * @param replaceAll membership changes replace the original members one by one (add a node, wait
 *     for its promotion, remove an original) instead of adding and removing at random
 */
record Scenario(
    long seed,
    int nodes,
    Scenario.Kind kind,
    int faultTicks,
    int faultGapTicks,
    int maxProposals,
    int maxReads,
    boolean preVote,
    boolean checkQuorum,
    int maxEntriesPerAppend,
    int maxInflightAppends,
    long maxCommittedBytesPerReady,
    int diskMaxLatency,
    Network.Conditions conditions,
    double unsyncedCrashOdds,
    int slowDiskGapTicks,
    int snapshotEvery,
    int maxRetainedEntries,
    long learnerCatchUpEntries,
    int membershipGapTicks,
    boolean replaceAll) {

  /** The fault mix. */
  enum Kind {
    /** Delays only, plus the odd leadership transfer, step-down or forced campaign. */
    CALM,
    /** Loss, duplication and reordering that change over time. */
    LOSSY,
    /** Churn of symmetric and asymmetric partitions on a mildly lossy network. */
    PARTITIONS,
    /** Crashes (with torn writes) and restarts on a mildly lossy network. */
    CRASHES,
    /** All of the above. */
    CHAOS,
    /**
     * Nodes added (as learners, promoted once caught up) and removed, the leader included, while
     * partitions, crashes and loss go on; in some seeds every original member is replaced.
     */
    MEMBERSHIP
  }

  static final List<Integer> SIZES = List.of(3, 5, 7);

  static Scenario fromSeed(long seed) {
    int nodes = SIZES.get((int) Math.floorMod(seed, 3L));
    Kind[] kinds = Kind.values();
    Kind kind = kinds[(int) Math.floorMod(Math.floorDiv(seed, 3L), (long) kinds.length)];
    // A separate stream from the world's, so that adding a knob here does not shift the world.
    Random r = new Random(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    int faultTicks = 300 + r.nextInt(1201);
    int faultGapTicks = kind == Kind.CALM ? 150 : 10 + r.nextInt(60);
    boolean preVote = r.nextInt(6) != 0;
    boolean checkQuorum = r.nextInt(6) != 0;
    int maxEntries = List.of(1, 3, 16, 1000).get(r.nextInt(4));
    int maxInflight = List.of(1, 4, 256).get(r.nextInt(3));
    long maxCommittedBytes = r.nextInt(4) == 0 ? 100 : 4L << 20;
    int diskMax =
        2
            + r.nextInt(
                kind == Kind.CRASHES || kind == Kind.CHAOS || kind == Kind.MEMBERSHIP ? 30 : 8);
    int maxDelay = 2 + r.nextInt(2 * World.TICK);
    int reorderDelay = reorderDelay(r);
    Network.Conditions conditions =
        switch (kind) {
          case CALM -> new Network.Conditions(1, maxDelay, 0, 0, 0);
          case LOSSY ->
              new Network.Conditions(
                  1,
                  maxDelay,
                  r.nextDouble() * 0.25,
                  r.nextDouble() * 0.15,
                  r.nextDouble() * 0.3,
                  reorderDelay);
          case PARTITIONS, CRASHES ->
              new Network.Conditions(
                  1, maxDelay, r.nextDouble() * 0.05, r.nextDouble() * 0.05, r.nextDouble() * 0.1);
          case CHAOS ->
              new Network.Conditions(
                  1,
                  maxDelay,
                  r.nextDouble() * 0.2,
                  r.nextDouble() * 0.1,
                  r.nextDouble() * 0.2,
                  reorderDelay);
          case MEMBERSHIP ->
              new Network.Conditions(
                  1,
                  maxDelay,
                  r.nextDouble() * 0.1,
                  r.nextDouble() * 0.05,
                  r.nextDouble() * 0.15,
                  reorderDelay);
        };
    int maxProposals = 20 + r.nextInt(281);
    int maxReads = 5 + r.nextInt(36);
    // The durability nemesis comes on top of any fault mix: unsynced crashes in about half the
    // seeds, slow disks in an independent half. Drawn last, so the knobs above stay as they were.
    double unsyncedCrashOdds = r.nextBoolean() ? 0.05 + r.nextDouble() * 0.35 : 0;
    int slowDiskGapTicks = r.nextBoolean() ? 20 + r.nextInt(200) : 0;
    // Snapshots and compaction in three seeds of four of every kind, and in every membership seed.
    int snapshotEvery = kind == Kind.MEMBERSHIP || r.nextInt(4) != 0 ? 20 + r.nextInt(31) : 0;
    int maxRetained = r.nextInt(11);
    long learnerCatchUp = List.of(0L, 5L, 50L, 1000L).get(r.nextInt(4));
    int membershipGapTicks = 20 + r.nextInt(60);
    boolean replaceAll = r.nextInt(3) == 0;
    return new Scenario(
        seed,
        nodes,
        kind,
        faultTicks,
        faultGapTicks,
        maxProposals,
        maxReads,
        preVote,
        checkQuorum,
        maxEntries,
        maxInflight,
        maxCommittedBytes,
        diskMax,
        conditions,
        unsyncedCrashOdds,
        slowDiskGapTicks,
        snapshotEvery,
        maxRetained,
        learnerCatchUp,
        membershipGapTicks,
        replaceAll);
  }

  /** Mostly short holds; sometimes holds of many election timeouts, for very stale messages. */
  static int reorderDelay(Random r) {
    return r.nextInt(3) == 0
        ? (1 + r.nextInt(10)) * World.ELECTION_TICKS * World.TICK
        : Network.Conditions.SHORT_REORDER;
  }

  RaftConfig.Builder configure(RaftConfig.Builder b) {
    return b.preVote(preVote)
        .checkQuorum(checkQuorum)
        .maxEntriesPerAppend(maxEntriesPerAppend)
        .maxInflightAppends(maxInflightAppends)
        .maxCommittedBytesPerReady(maxCommittedBytesPerReady)
        .learnerCatchUpEntries(learnerCatchUpEntries);
  }

  /** The group this seed's test belongs to, e.g. "5 nodes, CHAOS". */
  String group() {
    return group(nodes, kind);
  }

  static String group(int nodes, Kind kind) {
    return nodes + " nodes, " + kind;
  }

  @Override
  public String toString() {
    return group()
        + ", "
        + faultTicks
        + " ticks of faults (every <="
        + faultGapTicks
        + "), "
        + maxProposals
        + " proposals, "
        + maxReads
        + " reads, preVote="
        + preVote
        + ", checkQuorum="
        + checkQuorum
        + ", maxEntriesPerAppend="
        + maxEntriesPerAppend
        + ", maxInflight="
        + maxInflightAppends
        + ", maxCommittedBytesPerReady="
        + maxCommittedBytesPerReady
        + ", disk latency 1.."
        + diskMaxLatency
        + ", network "
        + conditions
        + ", unsynced crashes "
        + Math.round(unsyncedCrashOdds * 100)
        + "%, slow disks "
        + (slowDiskGapTicks == 0 ? "never" : "every <=" + slowDiskGapTicks)
        + ", snapshots "
        + (snapshotEvery == 0
            ? "never"
            : "every " + snapshotEvery + " entries, retaining <=" + maxRetainedEntries)
        + (kind == Kind.MEMBERSHIP
            ? ", membership changes every <="
                + membershipGapTicks
                + " ticks"
                + (replaceAll ? " replacing every member" : " at random")
                + ", learners promoted within "
                + learnerCatchUpEntries
                + " entries"
            : "");
  }
}
