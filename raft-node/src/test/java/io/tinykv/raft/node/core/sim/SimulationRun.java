package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One seeded run: a fault phase (faults, the durability nemesis, clients and, in membership
 * scenarios, configuration changes), then a liveness phase on a healed, reliable network with every
 * node up, which must elect a leader, finish any configuration change (learners promoted), commit a
 * fresh proposal on every member of the final configuration and converge. Removed nodes keep
 * running but are not members. Safety is checked after every event throughout.
 */
final class SimulationRun {

  /** Leader election and convergence bounds after healing, in ticks. */
  static final int LIVENESS_BOUND = 10 * World.ELECTION_TICKS * 2;

  /** What a passing run did, for the test's summary. */
  record Summary(
      long ticks,
      long leaders,
      long crashes,
      long acknowledged,
      long reads,
      long failedReads,
      long snapshotsTaken,
      long snapshotsInstalled,
      long membershipChanges,
      long finalMembers) {}

  private SimulationRun() {}

  static Summary run(Scenario scenario, boolean echoTrace) {
    World world =
        World.builder(scenario.seed())
            .nodes(scenario.nodes())
            .config(scenario::configure)
            .network(scenario.conditions())
            .diskLatency(1, scenario.diskMaxLatency())
            .snapshots(scenario.snapshotEvery(), scenario.maxRetainedEntries())
            .scenario(scenario.toString())
            .echoTrace(echoTrace)
            .build();
    FaultSchedule faults = new FaultSchedule(world, scenario);
    DurabilityNemesis nemesis = new DurabilityNemesis(world, scenario);
    Workload clients = new Workload(world, scenario.maxProposals(), scenario.maxReads());
    MembershipChurn churn = new MembershipChurn(world, scenario);
    faults.start();
    nemesis.start();
    clients.start();
    if (scenario.kind() == Scenario.Kind.MEMBERSHIP) {
      churn.start();
    }
    world.runFor(scenario.faultTicks());
    faults.stop();
    nemesis.stop();
    clients.stop();
    churn.stop();
    checkLiveness(world);
    return new Summary(
        world.nowTicks(),
        world.safety().leadersByTerm().size(),
        world.crashes(),
        world.acknowledgedCount(),
        world.safety().readsChecked(),
        world.failedReads(),
        world.snapshotsTaken(),
        world.snapshotsInstalled(),
        world.membershipChanges(),
        world.members().size());
  }

  /** Heals everything, then requires progress within bounds (Raft paper, section 5.6). */
  static void checkLiveness(World world) {
    world.network().setConditions(Network.Conditions.reliable());
    world.network().setDropFilter(null);
    world.heal();
    for (NodeId id : world.ids()) {
      world.restart(id);
    }
    world.note("LIVENESS", "healed, all nodes up, network reliable");
    world.await("leader after healing", () -> world.leader().isPresent(), LIVENESS_BOUND);
    // Lagging nodes must catch up first, which takes long with tiny appends and slow disks.
    int bound = LIVENESS_BOUND + world.catchUpTicks();
    world.await(
        "configuration change finished (joint left, learners promoted)",
        world::configurationSettled,
        bound);
    world.await("fresh proposal applied on every member", new FreshWrite(world), bound);
    world.await("convergence of the members' applied logs", () -> converged(world), bound);
    world.checkConverged(world.members());
  }

  /** Every member of the leader's configuration has applied exactly up to its commit index. */
  private static boolean converged(World world) {
    Optional<NodeId> leader = world.leader();
    if (leader.isEmpty()) {
      return false;
    }
    long commit = world.node(leader.get()).raw().status().commitIndex();
    for (NodeId id : world.members()) {
      SimNode n = world.node(id);
      if (!n.isUp() || n.applied().size() != commit) {
        return false;
      }
    }
    return true;
  }

  /**
   * Proposes a fresh command to each new leader until one attempt is applied on every node. A new
   * attempt goes to every new leader (or term), because the previous one may have been lost.
   */
  private static final class FreshWrite implements BooleanSupplier {
    private final World world;
    private int attempts;
    private long lastAttemptTick = -1;
    private NodeId proposedTo;
    private long proposedInTerm;
    private long index;
    private long term;

    FreshWrite(World world) {
      this.world = world;
    }

    @Override
    public boolean getAsBoolean() {
      if (index > 0 && world.appliedOn(world.members(), index, term)) {
        return true;
      }
      Optional<NodeId> leader = world.leader();
      if (leader.isEmpty()) {
        return false;
      }
      long leaderTerm = world.node(leader.get()).raw().term();
      boolean alreadyProposed = leader.get().equals(proposedTo) && leaderTerm == proposedInTerm;
      if (alreadyProposed || world.nowTicks() == lastAttemptTick) {
        return false;
      }
      lastAttemptTick = world.nowTicks();
      ProposeResult result = world.propose(leader.get(), "final-" + ++attempts);
      if (result instanceof ProposeResult.Accepted a) {
        proposedTo = leader.get();
        proposedInTerm = leaderTerm;
        index = a.index();
        term = a.term();
      }
      return false;
    }
  }
}
