package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Injects the faults of a scenario's kind at random times, drawn from the world's random source:
 * partitions of every shape, crashes and restarts, changing network conditions, and leadership
 * churn (transfers, step-downs, forced campaigns).
 */
final class FaultSchedule {

  private final World world;
  private final Scenario scenario;
  private final Random random;
  private boolean active = true;

  FaultSchedule(World world, Scenario scenario) {
    this.world = world;
    this.scenario = scenario;
    this.random = world.random();
  }

  void start() {
    scheduleNext();
  }

  void stop() {
    active = false;
  }

  private void scheduleNext() {
    world.after(1 + random.nextInt(scenario.faultGapTicks() * World.TICK), this::fire);
  }

  private void fire() {
    if (!active) {
      return;
    }
    switch (scenario.kind()) {
      case CALM -> leadershipChurn();
      case LOSSY -> {
        if (random.nextInt(4) == 0) {
          leadershipChurn();
        } else {
          changeConditions();
        }
      }
      case PARTITIONS -> partitionChurn();
      case CRASHES -> crashChurn();
      case CHAOS -> {
        switch (random.nextInt(7)) {
          case 0 -> leadershipChurn();
          case 1 -> changeConditions();
          case 2, 3, 4 -> partitionChurn();
          default -> crashChurn();
        }
      }
      case MEMBERSHIP -> {
        switch (random.nextInt(6)) {
          case 0 -> leadershipChurn();
          case 1, 2 -> partitionChurn();
          default -> crashChurn();
        }
      }
    }
    scheduleNext();
  }

  private void partitionChurn() {
    List<NodeId> ids = world.ids();
    Network net = world.network();
    switch (random.nextInt(8)) {
      case 0, 1 -> world.heal();
      case 2 -> world.isolate(pick(ids));
      case 3 -> world.isolate(world.leader().orElse(pick(ids)));
      case 4 -> {
        List<NodeId> shuffled = shuffled(ids);
        int minority = 1 + random.nextInt((ids.size() - 1) / 2);
        net.heal();
        net.split(shuffled.subList(0, minority));
        world.traceLinks("SPLIT");
      }
      case 5 -> {
        List<NodeId> shuffled = shuffled(ids);
        net.heal();
        net.bridge(shuffled.get(0), shuffled.subList(1, 1 + ids.size() / 2));
        world.traceLinks("BRIDGE");
      }
      case 6 -> {
        net.heal();
        net.ring(shuffled(ids));
        world.traceLinks("RING");
      }
      default -> {
        int cuts = 1 + random.nextInt(ids.size());
        for (int i = 0; i < cuts; i++) {
          List<NodeId> pair = shuffled(ids);
          net.cutOneWay(pair.get(0), pair.get(1));
        }
        world.traceLinks("CUT-ONE-WAY");
      }
    }
  }

  private void crashChurn() {
    List<NodeId> up = world.upNodes();
    List<NodeId> down = new ArrayList<>(world.ids());
    down.removeAll(up);
    if (!down.isEmpty() && (up.size() <= 1 || random.nextBoolean())) {
      world.restart(pick(down));
      return;
    }
    Optional<NodeId> leader = world.leader();
    if (leader.isPresent() && random.nextInt(5) < 2) {
      world.crash(leader.get());
    } else {
      world.crash(pick(up));
    }
  }

  private void changeConditions() {
    Network.Conditions c =
        new Network.Conditions(
            1,
            2 + random.nextInt(3 * World.TICK),
            random.nextDouble() * 0.3,
            random.nextDouble() * 0.2,
            random.nextDouble() * 0.3,
            Scenario.reorderDelay(random));
    world.network().setConditions(c);
    world.note("NETWORK", c);
  }

  private void leadershipChurn() {
    Optional<NodeId> leader = world.leader();
    if (leader.isEmpty()) {
      return;
    }
    List<NodeId> others = new ArrayList<>(world.upNodes());
    others.remove(leader.get());
    int choice = random.nextInt(10);
    if (choice < 5 && !others.isEmpty()) {
      world.transferLeadership(leader.get(), pick(others));
    } else if (choice < 7) {
      world.stepDown(leader.get());
    } else if (!others.isEmpty()) {
      world.campaign(pick(others));
    }
  }

  private NodeId pick(List<NodeId> ids) {
    return ids.get(random.nextInt(ids.size()));
  }

  private List<NodeId> shuffled(List<NodeId> ids) {
    List<NodeId> copy = new ArrayList<>(ids);
    Collections.shuffle(copy, random);
    return copy;
  }
}
