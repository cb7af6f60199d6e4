package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Faults aimed at the gap between what a node has said and what it has made durable. Random crashes
 * rarely land in that gap, which lasts a fraction of a tick on a fast disk, yet that is where a
 * core that speaks too early goes wrong: a node that grants a vote, or asks for votes, before its
 * term and vote are durable can vote again in the same term after a crash, and two candidates can
 * then both win that term.
 *
 * <ul>
 *   <li>Unsynced crashes: when a node queues a write that changes its term or vote, or that carries
 *       a vote, the nemesis sometimes slows that write down, crashes the node before it completes,
 *       and restarts the node within two ticks, while the election of that term is still running
 *       and other candidates may still ask it for its vote. A correct core has sent nothing that
 *       depends on the lost write, so it may vote afresh.
 *   <li>Slow disks: phases in which one node's writes take one to six ticks, so that whatever it
 *       sends early is out long before it is durable, for any crash to exploit.
 * </ul>
 *
 * <p>The nemesis decides from its own random stream, derived from the seed, so that a scenario
 * without it runs exactly as it would without this class; the crashes and restarts it causes draw
 * from the world's stream, like any other.
 */
final class DurabilityNemesis implements DiskHook {

  private final World world;
  private final Scenario scenario;
  private final Random random;

  /** Until when each node's disk is slow, in time units. */
  private final Map<NodeId, Long> slowUntil = new HashMap<>();

  private boolean active = true;

  DurabilityNemesis(World world, Scenario scenario) {
    this.world = world;
    this.scenario = scenario;
    this.random = new Random(scenario.seed() * 0xC2B2AE3D27D4EB4FL + 0x165667B19E3779F9L);
  }

  void start() {
    world.setDiskHook(this);
    if (scenario.slowDiskGapTicks() > 0) {
      scheduleSlowDisk();
    }
  }

  /** Ends slow phases and crashes not yet done; restarts already scheduled still happen. */
  void stop() {
    active = false;
  }

  @Override
  public int latency(SimNode node, Ready ready, int drawn) {
    if (!active) {
      return drawn;
    }
    int latency = drawn;
    if (slowUntil.getOrDefault(node.id(), 0L) > world.now()) {
      latency = World.TICK + random.nextInt(5 * World.TICK);
    }
    if (scenario.unsyncedCrashOdds() > 0
        && touchesVotes(ready)
        && random.nextDouble() < scenario.unsyncedCrashOdds()) {
      // A write of a tick or more lets the crash come after the early messages have reached
      // their candidates, and still beat the write.
      latency = Math.max(latency, World.TICK + random.nextInt(4 * World.TICK));
      crashBeforeWritten(node, ready, 1 + random.nextInt(latency - 1));
    }
    return latency;
  }

  /** A write that changes the term or vote, or carries messages that count as votes. */
  private static boolean touchesVotes(Ready ready) {
    return ready.hardState().isPresent()
        || ready.messages().stream().anyMatch(DurabilityNemesis::isVote)
        || ready.persistedMessages().stream().anyMatch(DurabilityNemesis::isVote);
  }

  /** A granted vote, or a request for votes (the candidate has voted for itself). */
  private static boolean isVote(RaftMessage m) {
    return (m instanceof RequestVote v && !v.preVote())
        || (m instanceof RequestVoteResponse r && !r.preVote() && r.granted());
  }

  /**
   * Crashes the node {@code delay} time units from now, which is before the ready's write
   * completes, and restarts it soon after, from what was durable before the ready.
   */
  private void crashBeforeWritten(SimNode node, Ready ready, int delay) {
    NodeId id = node.id();
    int incarnation = node.incarnation();
    int downtime = 1 + random.nextInt(2 * World.TICK);
    world.note(
        "UNSYNCED",
        id + " #" + ready.number() + ": crash in " + delay + ", restart " + downtime + " later");
    world.after(
        delay,
        () -> {
          // Another fault may have crashed the node first, and with it the write.
          if (active && node.isUp() && node.incarnation() == incarnation) {
            world.crash(id);
            world.after(downtime, () -> world.restart(id));
          }
        });
  }

  private void scheduleSlowDisk() {
    world.after(
        1 + random.nextInt(scenario.slowDiskGapTicks() * World.TICK),
        () -> {
          if (!active) {
            return;
          }
          List<NodeId> ids = world.ids();
          NodeId id = ids.get(random.nextInt(ids.size()));
          int ticks = 5 + random.nextInt(4 * World.ELECTION_TICKS);
          slowUntil.put(id, world.now() + (long) ticks * World.TICK);
          world.note("SLOW-DISK", id + " for " + ticks + " ticks");
          scheduleSlowDisk();
        });
  }
}
