package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.protocol.NodeId;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Clients: a bounded number of proposals with unique payloads ("c1", "c2", ...), mostly sent to the
 * current leader and sometimes to a random node (which rejects them unless it leads), and a bounded
 * number of linearizable reads on random nodes. The world tracks and checks their outcomes.
 */
final class Workload {

  private final World world;
  private final Random random;
  private int proposalsLeft;
  private int readsLeft;
  private long nextPayload = 1;
  private boolean active = true;

  Workload(World world, int maxProposals, int maxReads) {
    this.world = world;
    this.random = world.random();
    this.proposalsLeft = maxProposals;
    this.readsLeft = maxReads;
  }

  void start() {
    scheduleNext();
  }

  void stop() {
    active = false;
  }

  private void scheduleNext() {
    world.after(1 + random.nextInt(4 * World.TICK), this::fire);
  }

  private void fire() {
    if (!active) {
      return;
    }
    List<NodeId> up = world.upNodes();
    if (!up.isEmpty()) {
      if (proposalsLeft > 0 && random.nextInt(3) != 0) {
        Optional<NodeId> leader = world.leader();
        NodeId target =
            leader.isPresent() && random.nextInt(5) != 0
                ? leader.get()
                : up.get(random.nextInt(up.size()));
        int burst = Math.min(proposalsLeft, 1 + random.nextInt(3));
        for (int i = 0; i < burst && world.node(target).isUp(); i++) {
          world.propose(target, "c" + nextPayload++);
          proposalsLeft--;
        }
      }
      if (readsLeft > 0 && random.nextInt(4) == 0) {
        world.readIndex(up.get(random.nextInt(up.size())));
        readsLeft--;
      }
    }
    scheduleNext();
  }
}
