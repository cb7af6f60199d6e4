package io.tinykv.raft.node.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.TestInfo;

/** Shared steps of the scripted scenarios, which drive a {@link World} by hand. */
final class Scripted {

  /** Scripted scenarios use one fixed seed: only the election timeouts and latencies vary. */
  static final long SEED = 20_240_601L;

  /** A generous bound for anything that should take a few election timeouts. */
  static final int BOUND = 10 * World.ELECTION_TICKS;

  private Scripted() {}

  /**
   * A world named after the running test, so failures print the command that reruns it. With {@code
   * -Dsim.trace=true} every event is printed as it happens.
   */
  static WorldBuilder world(int nodes, TestInfo test) {
    String type = test.getTestClass().map(Class::getSimpleName).orElse("?");
    String method = test.getTestMethod().map(Method::getName).orElse("?");
    return World.builder(SEED)
        .nodes(nodes)
        .echoTrace(Boolean.getBoolean("sim.trace"))
        .scenario(type + "#" + method + " (scripted, " + nodes + " nodes)")
        .replay(
            "./mvnw -pl raft-node -am test -Dtest="
                + type
                + "#"
                + method
                + " -Dsurefire.failIfNoSpecifiedTests=false");
  }

  static NodeId awaitLeader(World world) {
    world.await("leader", () -> world.leader().isPresent(), BOUND);
    return world.leader().orElseThrow();
  }

  static ProposeResult.Accepted propose(World world, NodeId leader, String payload) {
    ProposeResult result = world.propose(leader, payload);
    assertThat(result)
        .as("proposal %s to %s", payload, leader)
        .isInstanceOf(ProposeResult.Accepted.class);
    return (ProposeResult.Accepted) result;
  }

  static boolean applied(World world, NodeId node, ProposeResult.Accepted proposal) {
    List<LogEntry> applied = world.node(node).applied();
    return applied.size() >= proposal.index()
        && applied.get((int) (proposal.index() - 1)).term() == proposal.term();
  }

  static void awaitApplied(World world, Collection<NodeId> nodes, ProposeResult.Accepted proposal) {
    world.await(
        "entry " + proposal.index() + "@" + proposal.term() + " applied on " + nodes,
        () -> nodes.stream().allMatch(id -> applied(world, id, proposal)),
        BOUND);
  }

  /** Proposes on the leader and waits until {@code nodes} have applied the entry. */
  static ProposeResult.Accepted commit(
      World world, NodeId leader, Collection<NodeId> nodes, String payload) {
    ProposeResult.Accepted accepted = propose(world, leader, payload);
    awaitApplied(world, nodes, accepted);
    return accepted;
  }

  /** Every payload any node has applied. */
  static Set<String> appliedPayloads(World world) {
    Set<String> payloads = new TreeSet<>();
    for (SimNode n : world.nodes()) {
      for (LogEntry e : n.applied()) {
        payloads.add(Describe.payload(e.payload()));
      }
    }
    return payloads;
  }

  /** A log whose entry i (from 1) has term {@code terms[i - 1]} and payload "x<i>@<term>". */
  static List<LogEntry> log(long... terms) {
    List<LogEntry> log = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      long index = i + 1L;
      log.add(LogEntry.command(index, terms[i], 0, Describe.bytes("x" + index + "@" + terms[i])));
    }
    return log;
  }

  /** Terms for a log: {@code count} entries of {@code term}, after {@code before}. */
  static long[] terms(long[] before, int count, long term) {
    long[] out = Arrays.copyOf(before, before.length + count);
    Arrays.fill(out, before.length, out.length, term);
    return out;
  }

  /** Waits until no membership change is under way (joint left, learners promoted, committed). */
  static Membership awaitSettled(World world) {
    world.await("configuration change finished", world::configurationSettled, BOUND);
    return world.node(world.leader().orElseThrow()).logConfig();
  }

  /** Proposes {@code target} to {@code leader}, which must accept it. */
  static ProposeResult.Accepted change(World world, NodeId leader, Membership target) {
    ProposeResult result = world.proposeMembership(leader, target);
    assertThat(result)
        .as("change to %s on %s", Describe.membership(target), leader)
        .isInstanceOf(ProposeResult.Accepted.class);
    return (ProposeResult.Accepted) result;
  }

  /** Adds a new node as a learner through {@code leader}, which must accept; returns its id. */
  static NodeId addNode(World world, NodeId leader) {
    Membership current = world.node(leader).logConfig();
    return MembershipChurn.add(world, leader, current)
        .orElseThrow(() -> new AssertionError(leader + " refused to add a node"));
  }

  static List<NodeId> others(World world, NodeId... excluded) {
    List<NodeId> rest = new ArrayList<>(world.ids());
    rest.removeAll(List.of(excluded));
    return rest;
  }
}
