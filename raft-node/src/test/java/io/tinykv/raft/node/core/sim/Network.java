package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The simulated network: every message gets its own seeded delay and may be lost, duplicated or
 * held back long enough for later messages to overtake it. A link filter cuts directed links, which
 * builds every partition shape (symmetric, asymmetric, bridge, ring). A message is dropped if its
 * link is cut when it is sent or when it arrives, like a firewall rule that drops packets.
 */
final class Network {

  /**
   * How messages travel: a delay drawn from {@code [minDelay, maxDelay]} time units, and the odds
   * of loss, duplication and reordering. A reordered message is held back by up to {@code
   * reorderDelay} more time units; long holds deliver stale messages (old terms, late votes) well
   * after the state they describe has moved on.
   */
  record Conditions(
      int minDelay, int maxDelay, double loss, double duplicate, double reorder, int reorderDelay) {

    /** The usual hold for a reordered message: half an election timeout. */
    static final int SHORT_REORDER = World.ELECTION_TICKS * World.TICK / 2;

    Conditions {
      if (minDelay < 1 || maxDelay < minDelay || reorderDelay < 1) {
        throw new IllegalArgumentException(
            "bad delays " + minDelay + ".." + maxDelay + " +" + reorderDelay);
      }
    }

    Conditions(int minDelay, int maxDelay, double loss, double duplicate, double reorder) {
      this(minDelay, maxDelay, loss, duplicate, reorder, SHORT_REORDER);
    }

    /** Delay only: every message arrives, once, within a tick. */
    static Conditions reliable() {
      return new Conditions(1, World.TICK, 0, 0, 0);
    }

    @Override
    public String toString() {
      return "delay "
          + minDelay
          + ".."
          + maxDelay
          + " loss "
          + percent(loss)
          + " dup "
          + percent(duplicate)
          + " reorder "
          + percent(reorder)
          + " (+"
          + reorderDelay
          + ")";
    }

    private static String percent(double p) {
      return Math.round(p * 100) + "%";
    }
  }

  /**
   * Every node ever added, in order; nodes are never taken out (a removed member keeps running).
   */
  private final List<NodeId> ids = new ArrayList<>();

  private final Map<NodeId, Integer> indexes = new HashMap<>();

  /** cut[i][j]: the link from ids[i] to ids[j] drops everything; grows as nodes are added. */
  private boolean[][] cut = new boolean[0][0];

  private final EventQueue events;
  private final Random random;
  private final Trace trace;
  private final Consumer<RaftMessage> receiver;
  private final List<Consumer<RaftMessage>> taps = new ArrayList<>();
  private Predicate<RaftMessage> dropFilter = m -> false;
  private Conditions conditions;

  Network(
      List<NodeId> ids,
      Conditions conditions,
      EventQueue events,
      Random random,
      Trace trace,
      Consumer<RaftMessage> receiver) {
    ids.forEach(this::addNode);
    this.conditions = conditions;
    this.events = events;
    this.random = random;
    this.trace = trace;
    this.receiver = receiver;
  }

  void send(RaftMessage m) {
    for (Consumer<RaftMessage> tap : taps) {
      tap.accept(m);
    }
    String blocked = blocked(m);
    if (blocked != null) {
      trace.add(events.now(), m.from(), blocked, m);
      return;
    }
    if (random.nextDouble() < conditions.loss()) {
      trace.add(events.now(), m.from(), "drop(lost)", m);
      return;
    }
    schedule(m);
    if (random.nextDouble() < conditions.duplicate()) {
      schedule(m);
    }
  }

  private void schedule(RaftMessage m) {
    int delay =
        conditions.minDelay() + random.nextInt(conditions.maxDelay() - conditions.minDelay() + 1);
    if (random.nextDouble() < conditions.reorder()) {
      delay += 1 + random.nextInt(conditions.reorderDelay());
    }
    events.after(delay, () -> arrive(m));
  }

  private void arrive(RaftMessage m) {
    String blocked = blocked(m);
    if (blocked != null) {
      trace.add(events.now(), m.to(), blocked, m);
      return;
    }
    receiver.accept(m);
  }

  /** Why the message cannot pass now, or null if it can. */
  private String blocked(RaftMessage m) {
    if (cut[indexOf(m.from())][indexOf(m.to())]) {
      return "drop(cut)";
    }
    return dropFilter.test(m) ? "drop(filter)" : null;
  }

  private int indexOf(NodeId id) {
    Integer i = indexes.get(id);
    if (i == null) {
      throw new InvariantViolation("routing", "message names unknown node " + id);
    }
    return i;
  }

  /** Connects a new node to every other, with no cut links. */
  void addNode(NodeId id) {
    if (indexes.containsKey(id)) {
      throw new IllegalArgumentException(id + " is already on the network");
    }
    indexes.put(id, ids.size());
    ids.add(id);
    boolean[][] grown = new boolean[ids.size()][ids.size()];
    for (int i = 0; i < cut.length; i++) {
      System.arraycopy(cut[i], 0, grown[i], 0, cut[i].length);
    }
    cut = grown;
  }

  Conditions conditions() {
    return conditions;
  }

  void setConditions(Conditions conditions) {
    this.conditions = conditions;
  }

  /** Drops every message the filter accepts (for scripted scenarios); pass null to stop. */
  void setDropFilter(Predicate<RaftMessage> filter) {
    this.dropFilter = filter == null ? m -> false : filter;
  }

  /** Shows every message as it is sent, before any filter or loss. */
  void addTap(Consumer<RaftMessage> tap) {
    taps.add(tap);
  }

  void heal() {
    for (boolean[] row : cut) {
      Arrays.fill(row, false);
    }
  }

  void cutOneWay(NodeId from, NodeId to) {
    cut[indexOf(from)][indexOf(to)] = true;
  }

  /** Cuts every link between {@code side} and the other nodes, both ways. */
  void split(Collection<NodeId> side) {
    for (NodeId a : side) {
      for (NodeId b : ids) {
        if (!side.contains(b)) {
          cutOneWay(a, b);
          cutOneWay(b, a);
        }
      }
    }
  }

  void isolate(NodeId node) {
    split(List.of(node));
  }

  /**
   * Two halves that share one node: {@code left} and the rest each stay connected inside, and
   * {@code shared} talks to everyone, but nothing else crosses between the halves.
   */
  void bridge(NodeId shared, Collection<NodeId> left) {
    for (NodeId a : ids) {
      for (NodeId b : ids) {
        boolean crosses = left.contains(a) != left.contains(b);
        if (crosses && !a.equals(shared) && !b.equals(shared)) {
          cutOneWay(a, b);
        }
      }
    }
  }

  /** Each node hears only its two neighbours in {@code order}. */
  void ring(List<NodeId> order) {
    int n = order.size();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        int distance = Math.floorMod(i - j, n);
        if (distance > 1 && distance < n - 1) {
          cutOneWay(order.get(i), order.get(j));
        }
      }
    }
  }

  /** The cut links, for traces: "n1->n2 n2->n1 ..." or "none". */
  String describeCuts() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ids.size(); i++) {
      for (int j = 0; j < ids.size(); j++) {
        if (cut[i][j]) {
          out.append(out.length() == 0 ? "" : " ")
              .append(ids.get(i))
              .append("->")
              .append(ids.get(j));
        }
      }
    }
    return out.length() == 0 ? "none" : out.toString();
  }
}
