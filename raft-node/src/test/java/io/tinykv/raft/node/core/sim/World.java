package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.ReadFailure;
import io.tinykv.raft.node.core.ReadState;
import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A deterministic simulated cluster: nodes running the real core, their disks and state machines, a
 * network, and virtual time. Every input to a node is followed by draining its readies the way a
 * runtime must (send messages, queue the ready on the disk, apply committed entries), and every
 * event is followed by the safety checks. A run is a pure function of the seed.
 *
 * <p>Time is counted in units of 1/{@value #TICK} of a tick, so message and disk latencies can be
 * shorter than a tick and interleave with it; each node ticks once per tick, at its own phase.
 */
final class World {

  static final int TICK = 10;
  static final int ELECTION_TICKS = 10;
  static final int HEARTBEAT_TICKS = 2;
  private static final int MAX_READIES_PER_DRAIN = 10_000;

  /** Healthy runs keep a few thousand events pending; far more means a message storm. */
  private static final int MAX_PENDING_EVENTS = 100_000;

  /** A read answered by a node. */
  record ServedRead(NodeId node, long requestId, long index) {}

  private final long seed;
  private final String scenario;
  private final String replay;
  private final Random random;
  private final EventQueue events = new EventQueue();
  private final Trace trace;
  private final Network network;
  private final SafetyChecker safety = new SafetyChecker();
  private final Map<NodeId, SimNode> nodes = new LinkedHashMap<>();
  private final List<NodeId> ids;
  private final int diskMinLatency;
  private final int diskMaxLatency;
  private final Map<Long, ServedRead> servedReads = new TreeMap<>();
  private long nextRequestId = 1;
  private long appendRejections;
  private long failedReads;
  private long acknowledgedCount;
  private long crashes;
  private DiskHook diskHook = (node, ready, drawn) -> drawn;

  World(WorldBuilder b) {
    this.seed = b.seed;
    this.scenario = b.scenario;
    this.replay = b.replay;
    this.random = new Random(b.seed);
    this.trace = new Trace(b.echoTrace ? System.out : null);
    this.diskMinLatency = b.diskMinLatency;
    this.diskMaxLatency = b.diskMaxLatency;
    List<NodeId> all = new ArrayList<>();
    for (int i = 1; i <= b.size; i++) {
      all.add(id(i));
    }
    this.ids = List.copyOf(all);
    this.network = new Network(ids, b.conditions, events, random, trace, this::deliver);
    Membership membership = Membership.ofVoters(new TreeSet<>(ids));
    for (NodeId id : ids) {
      RaftConfig config =
          b.config
              .apply(
                  RaftConfig.builder(id)
                      .electionTicks(ELECTION_TICKS)
                      .heartbeatTicks(HEARTBEAT_TICKS))
              .build();
      WorldBuilder.Durable initial = b.durable.getOrDefault(id, WorldBuilder.Durable.EMPTY);
      MemoryLog log = new MemoryLog();
      log.append(initial.log());
      safety.registerInitialLog(id, log);
      nodes.put(id, new SimNode(id, config, membership, new SimDisk(initial.hardState(), log)));
    }
    for (SimNode n : nodes.values()) {
      n.start(new Random(random.nextLong()));
      scheduleTicks(n, random.nextInt(TICK));
    }
  }

  static NodeId id(int i) {
    return NodeId.of("n" + i);
  }

  static WorldBuilder builder(long seed) {
    return new WorldBuilder(seed);
  }

  // ---- driving time ----

  /** Runs every event in the next {@code ticks} ticks. */
  void runFor(int ticks) {
    long limit = events.now() + (long) ticks * TICK;
    boolean more = true;
    while (more) {
      more = step(limit);
    }
  }

  /** Runs until {@code condition} holds (checked after every event) or {@code maxTicks} pass. */
  boolean runUntil(BooleanSupplier condition, int maxTicks) {
    long limit = events.now() + (long) maxTicks * TICK;
    while (!condition.getAsBoolean()) {
      if (!step(limit)) {
        return condition.getAsBoolean();
      }
    }
    return true;
  }

  /** Like {@link #runUntil}, but a timeout fails the run, with the trace. */
  void await(String what, BooleanSupplier condition, int maxTicks) {
    if (!runUntil(condition, maxTicks)) {
      throw failure("Liveness: no " + what + " within " + maxTicks + " ticks", null);
    }
  }

  private boolean step(long limit) {
    if (events.size() > MAX_PENDING_EVENTS) {
      throw failure("Progress: " + events.size() + " events pending (a message storm?)", null);
    }
    Runnable event = events.pollDue(limit);
    if (event == null) {
      return false;
    }
    run(event);
    return true;
  }

  /** Schedules an action {@code delay} time units from now (fault schedules, clients). */
  void after(long delay, Runnable action) {
    events.after(delay, action);
  }

  /** Runs one input, then the checks; turns any violation or core exception into a failure. */
  private void run(Runnable input) {
    call(
        () -> {
          input.run();
          return null;
        });
  }

  private <T> T call(Supplier<T> input) {
    try {
      T result = input.get();
      observeRoles();
      return result;
    } catch (InvariantViolation v) {
      throw failure(v.getMessage(), v);
    } catch (RuntimeException e) {
      throw failure("Unexpected exception: " + e, e);
    }
  }

  // ---- the runtime loop of each node ----

  private void scheduleTicks(SimNode n, long at) {
    events.at(
        at,
        () -> {
          if (n.isUp()) {
            n.raw().tick();
            drain(n);
          }
          scheduleTicks(n, events.now() + TICK);
        });
  }

  private void deliver(RaftMessage m) {
    SimNode n = nodes.get(m.to());
    if (!n.isUp()) {
      trace.add(events.now(), m.to(), "drop(down)", m);
      return;
    }
    trace.add(events.now(), m.to(), "recv", m);
    n.raw().step(m);
    drain(n);
  }

  private void drain(SimNode n) {
    RawNode raw = n.raw();
    for (int i = 0; raw.hasReady(); i++) {
      if (i == MAX_READIES_PER_DRAIN) {
        throw new InvariantViolation("Progress", n.id() + " keeps reporting hasReady()");
      }
      process(n, raw.ready());
    }
  }

  private void process(SimNode n, Ready r) {
    if (r.number() <= n.lastReadyNumber()) {
      throw new InvariantViolation(
          "Ready contract",
          n.id() + " handed out ready #" + r.number() + " after #" + n.lastReadyNumber());
    }
    n.setLastReadyNumber(r.number());
    RawNode raw = n.raw();
    r.softState()
        .ifPresent(
            s -> {
              if (s.role() == Role.LEADER) {
                safety.onLeader(n.id(), s.term());
              }
            });
    if (r.mustPersist() || !r.committedEntries().isEmpty()) {
      trace.add(events.now(), n.id(), "ready", Describe.ready(r));
    }
    safety.onEntries(n, raw.role(), raw.term(), r.entries());
    if (!r.entries().isEmpty()) {
      n.emitted().append(r.entries());
    }
    countRejections(r.messages());
    countRejections(r.persistedMessages());
    for (RaftMessage m : r.messages()) {
      network.send(outgoing(n, m));
    }
    int drawn = diskMinLatency + random.nextInt(diskMaxLatency - diskMinLatency + 1);
    long done = n.disk().submit(r, events.now(), diskHook.latency(n, r, drawn));
    int incarnation = n.incarnation();
    long number = r.number();
    events.at(done, () -> onWritten(n, incarnation, number));
    apply(n, r.committedEntries());
    for (ReadState read : r.readStates()) {
      safety.onReadState(n.id(), read, n.reads().remove(read.requestId()));
      servedReads.put(read.requestId(), new ServedRead(n.id(), read.requestId(), read.index()));
      trace.add(
          events.now(), n.id(), "read-ok", "req=" + read.requestId() + " index=" + read.index());
    }
    for (ReadFailure failure : r.failedReads()) {
      n.reads().remove(failure.requestId());
      failedReads++;
      trace.add(events.now(), n.id(), "read-failed", failure);
    }
  }

  private void onWritten(SimNode n, int incarnation, long number) {
    if (!n.isUp() || n.incarnation() != incarnation) {
      return; // the crash lost this write
    }
    Ready r = n.disk().completeOldest();
    if (r.number() != number) {
      throw new IllegalStateException("disk completed #" + r.number() + ", expected #" + number);
    }
    if (r.mustPersist()) {
      trace.add(
          events.now(),
          n.id(),
          "written",
          "#" + number + " durable last=" + n.disk().log().lastIndex());
    }
    for (RaftMessage m : r.persistedMessages()) {
      network.send(outgoing(n, m));
    }
    n.raw().onPersisted(number);
    drain(n);
  }

  private void apply(SimNode n, List<LogEntry> committed) {
    if (committed.isEmpty()) {
      return;
    }
    long term = n.raw().term();
    for (LogEntry e : committed) {
      safety.onApply(n, e, term);
      n.applied().add(e);
      SimNode.Proposal p = n.proposals().remove(e.index());
      if (p != null && p.term() == e.term()) {
        safety.onAcknowledged(n.id(), e, p.payload());
        acknowledgedCount++;
      } else if (p != null) {
        trace.add(events.now(), n.id(), "proposal-lost", p.payload() + " at " + e.index());
      }
    }
    n.raw().onApplied(committed.get(committed.size() - 1).index());
  }

  /** Every message a node sends passes here: it must be routed right, and votes are recorded. */
  private RaftMessage outgoing(SimNode n, RaftMessage m) {
    if (!m.from().equals(n.id()) || m.to().equals(n.id())) {
      throw new InvariantViolation("Routing", n.id() + " sent " + Describe.message(m));
    }
    safety.onSent(m, events.now());
    return m;
  }

  private void countRejections(List<RaftMessage> messages) {
    for (RaftMessage m : messages) {
      if (m instanceof AppendEntriesResponse r && !r.success()) {
        appendRejections++;
      }
    }
  }

  /** After every event: Election Safety and Leader Completeness, and role changes for the trace. */
  private void observeRoles() {
    for (SimNode n : nodes.values()) {
      if (!n.isUp()) {
        continue;
      }
      Role role = n.raw().role();
      long term = n.raw().term();
      if (role == n.observedRole() && term == n.observedTerm()) {
        continue;
      }
      trace.add(
          events.now(),
          n.id(),
          "role",
          n.observedRole() + " t" + n.observedTerm() + " -> " + role + " t" + term);
      if (role == Role.LEADER) {
        safety.onLeader(n.id(), term);
        safety.onBecameLeader(n, term);
      }
      n.observe(role, term);
    }
  }

  // ---- observing ----

  List<NodeId> ids() {
    return ids;
  }

  SimNode node(NodeId id) {
    SimNode n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  Collection<SimNode> nodes() {
    return nodes.values();
  }

  /** The up node that believes it leads the highest term, if any. */
  Optional<NodeId> leader() {
    SimNode best = null;
    for (SimNode n : nodes.values()) {
      if (n.isUp()
          && n.raw().role() == Role.LEADER
          && (best == null || n.raw().term() > best.raw().term())) {
        best = n;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.id());
  }

  List<NodeId> upNodes() {
    List<NodeId> up = new ArrayList<>();
    for (SimNode n : nodes.values()) {
      if (n.isUp()) {
        up.add(n.id());
      }
    }
    return up;
  }

  /** The current time, in time units (see {@link #TICK}). */
  long now() {
    return events.now();
  }

  long nowTicks() {
    return now() / TICK;
  }

  Network network() {
    return network;
  }

  SafetyChecker safety() {
    return safety;
  }

  Random random() {
    return random;
  }

  long appendRejections() {
    return appendRejections;
  }

  long failedReads() {
    return failedReads;
  }

  long acknowledgedCount() {
    return acknowledgedCount;
  }

  long crashes() {
    return crashes;
  }

  Optional<ServedRead> servedRead(long requestId) {
    return Optional.ofNullable(servedReads.get(requestId));
  }

  /**
   * How long a node with an empty log may need to catch up at the current network conditions: one
   * append round trip (two message delays and a disk write) per batch of entries, in ticks.
   */
  int catchUpTicks() {
    long entries = 0;
    int perAppend = Integer.MAX_VALUE;
    for (SimNode n : nodes.values()) {
      entries = Math.max(entries, n.disk().log().lastIndex());
      perAppend = Math.min(perAppend, n.config().maxEntriesPerAppend());
    }
    long roundTrip = (2L * network.conditions().maxDelay() + diskMaxLatency) / TICK + 1;
    return (int) Math.min(Integer.MAX_VALUE, (entries / perAppend + 1) * roundTrip);
  }

  /** True once every node is up and has applied the entry at {@code index} of {@code term}. */
  boolean appliedEverywhere(long index, long term) {
    for (SimNode n : nodes.values()) {
      if (!n.isUp()
          || n.applied().size() < index
          || n.applied().get((int) (index - 1)).term() != term) {
        return false;
      }
    }
    return true;
  }

  /** After the liveness phase: all nodes applied the same log, with every acknowledged entry. */
  void checkConverged() {
    run(() -> safety.checkConverged(nodes.values()));
  }

  // ---- faults ----

  void setDiskHook(DiskHook hook) {
    this.diskHook = hook;
  }

  void isolate(NodeId id) {
    network.isolate(id);
    trace.add(events.now(), id, "ISOLATE", network.describeCuts());
  }

  void heal() {
    network.heal();
    trace.add(events.now(), "*", "HEAL", "");
  }

  /** Records a link change made directly on the network. */
  void traceLinks(String what) {
    trace.add(events.now(), "*", what, network.describeCuts());
  }

  void note(String what, Object detail) {
    trace.add(events.now(), "*", what, detail);
  }

  void crash(NodeId id) {
    run(
        () -> {
          SimNode n = node(id);
          if (n.isUp()) {
            crashes++;
            trace.add(events.now(), id, "CRASH", n.crash(random, events.now()));
          }
        });
  }

  void restart(NodeId id) {
    run(
        () -> {
          SimNode n = node(id);
          if (!n.isUp()) {
            n.start(new Random(random.nextLong()));
            trace.add(
                events.now(),
                id,
                "RESTART",
                n.disk().hardState() + " last=" + n.disk().log().lastIndex());
            drain(n);
          }
        });
  }

  // ---- clients and operators ----

  /** Offers a command to a node that is up; an accepted one is tracked until it commits. */
  ProposeResult propose(NodeId id, String payload) {
    return call(
        () -> {
          SimNode n = node(id);
          ProposeResult result = n.raw().propose(Describe.bytes(payload), events.now());
          if (result instanceof ProposeResult.Accepted a) {
            n.proposals().put(a.index(), new SimNode.Proposal(a.term(), payload));
          }
          trace.add(events.now(), id, "propose", payload + " " + Describe.result(result));
          drain(n);
          return result;
        });
  }

  /** Issues a linearizable read on a node that is up; returns its request id. */
  long readIndex(NodeId id) {
    return call(
        () -> {
          SimNode n = node(id);
          long requestId = nextRequestId++;
          n.reads().put(requestId, safety.maxCommittedIndex());
          trace.add(events.now(), id, "read", "req=" + requestId);
          n.raw().readIndex(requestId);
          drain(n);
          return requestId;
        });
  }

  Optional<String> transferLeadership(NodeId leader, NodeId target) {
    return call(
        () -> {
          Optional<String> refused = node(leader).raw().transferLeadership(target);
          trace.add(
              events.now(),
              leader,
              "transfer",
              "to " + target + refused.map(r -> " refused: " + r).orElse(""));
          drain(node(leader));
          return refused;
        });
  }

  void campaign(NodeId id) {
    run(
        () -> {
          trace.add(events.now(), id, "campaign", "");
          node(id).raw().campaign();
          drain(node(id));
        });
  }

  void stepDown(NodeId id) {
    run(
        () -> {
          trace.add(events.now(), id, "step-down", "");
          node(id).raw().stepDown();
          drain(node(id));
        });
  }

  /** Delivers a message now, bypassing the network (scripted scenarios). */
  void inject(RaftMessage m) {
    run(() -> deliver(m));
  }

  // ---- failure reports ----

  /** Builds the failure for a broken property: seed, scenario, replay command, state and trace. */
  AssertionError failure(String problem, Throwable cause) {
    StringBuilder s = new StringBuilder();
    s.append(problem).append('\n');
    s.append("  seed:     ").append(seed).append('\n');
    s.append("  scenario: ").append(scenario).append('\n');
    s.append("  time:     tick ").append(Describe.time(events.now())).append('\n');
    s.append("  replay:   ").append(replay.replace("<seed>", Long.toString(seed))).append('\n');
    s.append("  cut:      ").append(network.describeCuts()).append('\n');
    for (SimNode n : nodes.values()) {
      s.append("  node:     ").append(n.summary()).append('\n');
    }
    s.append("last ").append(Trace.CAPACITY).append(" events:\n").append(trace.lastEvents());
    return new AssertionError(s.toString(), cause);
  }
}
