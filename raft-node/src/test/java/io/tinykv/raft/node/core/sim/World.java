package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.ReadFailure;
import io.tinykv.raft.node.core.ReadState;
import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.core.SnapshotRequest;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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

  /**
   * How long a leader waits for the answer to a snapshot it sent before it reports the transfer
   * failed, in time units (the runtime's transfer timeout).
   */
  static final int SNAPSHOT_TIMEOUT = 3 * ELECTION_TICKS * TICK;

  /** A read answered by a node. */
  record ServedRead(NodeId node, long requestId, long index) {}

  /** A snapshot's identity: by State Machine Safety, one state per index and term. */
  private record SnapshotKey(long index, long term) {}

  private final long seed;
  private final String scenario;
  private final String replay;
  private final Random random;
  private final EventQueue events = new EventQueue();
  private final Trace trace;
  private final Network network;
  private final SafetyChecker safety = new SafetyChecker();
  private final Map<NodeId, SimNode> nodes = new LinkedHashMap<>();

  /** The nodes that run or may run again, in the order they were added; retired ones leave. */
  private final List<NodeId> ids = new ArrayList<>();

  private final UnaryOperator<RaftConfig.Builder> configure;
  private final int diskMinLatency;
  private final int diskMaxLatency;

  /** Nodes take a snapshot after applying this many entries since the last one (0: never). */
  private final int snapshotEvery;

  /** A snapshot compacts the log up to at most this many entries before its index. */
  private final int maxRetainedEntries;

  /**
   * Every snapshot taken, by index and term: the out-of-band store from which a follower receives
   * the state that an InstallSnapshot message names.
   */
  private final Map<SnapshotKey, SimSnapshot> snapshots = new HashMap<>();

  private int lastNodeNumber;
  private long nextTransferId = 1;
  private long snapshotsTaken;
  private long snapshotsSent;
  private long snapshotsInstalled;
  private long membershipChanges;
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
    this.configure = b.config;
    this.snapshotEvery = b.snapshotEvery;
    this.maxRetainedEntries = b.maxRetainedEntries;
    Map<NodeId, NodeAddress> voters = new TreeMap<>();
    for (int i = 1; i <= b.size; i++) {
      ids.add(id(i));
      voters.put(id(i), address(i));
    }
    this.lastNodeNumber = b.size;
    this.network = new Network(ids, b.conditions, events, random, trace, this::deliver);
    Membership membership = Membership.ofVoters(voters);
    safety.setBootstrap(membership);
    // Founding members start as the runtime bootstraps them: the initial configuration is log
    // entry 1 (term 1), so every log holds the whole history of configurations and a node that
    // joins later and replays the log knows the configuration at every index. Scripted worlds
    // that build their nodes' logs by hand start from exactly those logs instead.
    WorldBuilder.Durable founding =
        new WorldBuilder.Durable(
            new HardState(1, Optional.empty()),
            List.of(
                new LogEntry(
                    1, 1, EntryType.CONFIGURATION, 0, MembershipCodec.encodeEntry(membership))));
    WorldBuilder.Durable fallback = b.durable.isEmpty() ? founding : WorldBuilder.Durable.EMPTY;
    for (NodeId id : ids) {
      WorldBuilder.Durable initial = b.durable.getOrDefault(id, fallback);
      MemoryLog log = new MemoryLog();
      log.append(initial.log());
      safety.registerInitialLog(id, log);
      nodes.put(id, new SimNode(id, config(id), membership, new SimDisk(initial.hardState(), log)));
    }
    for (SimNode n : nodes.values()) {
      n.start(new Random(random.nextLong()));
      scheduleTicks(n, random.nextInt(TICK));
    }
  }

  static NodeId id(int i) {
    return NodeId.of("n" + i);
  }

  /** Where node {@code n<i>} listens, as configurations record it (nothing listens there). */
  static NodeAddress address(int i) {
    return new NodeAddress("127.0.0.1", 7000 + i);
  }

  private RaftConfig config(NodeId id) {
    return configure
        .apply(RaftConfig.builder(id).electionTicks(ELECTION_TICKS).heartbeatTicks(HEARTBEAT_TICKS))
        .build();
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
    if (m instanceof InstallSnapshot s) {
      receiveSnapshot(n, s);
    } else if (m instanceof InstallSnapshotResponse r) {
      onSnapshotResponse(n, r);
    } else {
      n.raw().step(m);
    }
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
    checkConfiguration(n);
  }

  /**
   * After a node has handed out all its effects, its log as the readies described it is the core's
   * log, so: the core's configuration is the latest one in that log (dissertation, section 4.1);
   * the log holds at most one configuration entry that is not committed (each change starts only
   * once the previous one committed); and a leader that is no voter of its configuration has
   * stepped down once that configuration committed.
   */
  private void checkConfiguration(SimNode n) {
    RaftStatus s = n.raw().status();
    safety.onCommitIndex(s.commitIndex());
    Membership expected = n.logConfig();
    if (!s.membership().equals(expected)) {
      throw new InvariantViolation(
          "Configuration",
          n.id()
              + " uses "
              + Describe.membership(s.membership())
              + " but the latest configuration in its log is "
              + Describe.membership(expected)
              + (n.logConfigIndex() == 0 ? " (from before the log)" : " at " + n.logConfigIndex()));
    }
    boolean sameEntry =
        s.membershipIndex() == 0
            ? n.logConfigIndex() < s.firstIndex()
            : s.membershipIndex() == n.logConfigIndex();
    if (!sameEntry) {
      throw new InvariantViolation(
          "Configuration",
          n.id()
              + " says its configuration came from entry "
              + s.membershipIndex()
              + " but the latest configuration entry in its log is "
              + n.logConfigIndex());
    }
    long commit = safety.globalCommitIndex();
    if (n.configEntriesAfter(commit) > 1) {
      throw new InvariantViolation(
          "One change at a time",
          n.id()
              + " holds "
              + n.configEntriesAfter(commit)
              + " configuration entries after the commit index "
              + commit);
    }
    if (s.role() == Role.LEADER
        && !expected.isVoter(n.id())
        && n.logConfigIndex() <= s.commitIndex()) {
      throw new InvariantViolation(
          "Leader membership",
          n.id()
              + " leads term "
              + s.term()
              + " but is no voter of "
              + Describe.membership(expected)
              + ", committed at "
              + n.logConfigIndex()
              + " (commit index "
              + s.commitIndex()
              + ")");
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
    if (r.mustPersist()
        || !r.committedEntries().isEmpty()
        || r.compactIndex() > 0
        || !r.snapshotRequests().isEmpty()) {
      trace.add(events.now(), n.id(), "ready", Describe.ready(r));
    }
    SimSnapshot install = r.snapshot().isPresent() ? install(n, r) : null;
    safety.onEntries(n, raw.role(), raw.term(), r.entries());
    if (!r.entries().isEmpty()) {
      n.emitted().append(r.entries());
      n.onEmitted(r.entries());
    }
    countRejections(r.messages());
    countRejections(r.persistedMessages());
    for (RaftMessage m : r.messages()) {
      network.send(outgoing(n, m));
    }
    int drawn = diskMinLatency + random.nextInt(diskMaxLatency - diskMinLatency + 1);
    long done = n.disk().submit(r, install, events.now(), diskHook.latency(n, r, drawn));
    int incarnation = n.incarnation();
    long number = r.number();
    events.at(done, () -> onWritten(n, incarnation, number));
    apply(n, r.committedEntries());
    for (SnapshotRequest request : r.snapshotRequests()) {
      sendSnapshot(n, request);
    }
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
    if (r.snapshot().isPresent()) {
      // The runtime answers the leader once the snapshot is installed durably.
      SimNode.Offered o = n.installing().remove(number);
      network.send(
          outgoing(
              n,
              new InstallSnapshotResponse(
                  n.id(), o.leader(), o.leaderTerm(), o.snapshot().index(), 0, true)));
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
      n.apply(e);
      SimNode.Proposal p = n.proposals().remove(e.index());
      if (p != null && p.term() == e.term()) {
        safety.onAcknowledged(n.id(), e, p.payload());
        acknowledgedCount++;
      } else if (p != null) {
        trace.add(events.now(), n.id(), "proposal-lost", p.payload() + " at " + e.index());
      }
    }
    n.raw().onApplied(committed.get(committed.size() - 1).index());
    maybeTakeSnapshot(n);
  }

  // ---- snapshots ----

  /**
   * Once a node has applied {@link #snapshotEvery} entries since its last snapshot, it saves one
   * (durably at once) and tells its core the log may be compacted up to a few entries before it.
   */
  private void maybeTakeSnapshot(SimNode n) {
    long index = n.applied().size();
    if (snapshotEvery <= 0 || index - n.lastSnapshotIndex() < snapshotEvery) {
      return;
    }
    LogEntry last = n.applied().get((int) (index - 1));
    SimSnapshot snapshot =
        new SimSnapshot(new SnapshotMeta(index, last.term(), n.appliedMembership()), n.applied());
    safety.onSnapshot(n.id(), snapshot);
    snapshots.putIfAbsent(new SnapshotKey(index, last.term()), snapshot);
    n.disk().saveSnapshot(snapshot);
    n.setLastSnapshotIndex(index);
    snapshotsTaken++;
    long retain = random.nextInt(3) == 0 ? 0 : random.nextInt(maxRetainedEntries + 1);
    long upTo = Math.max(0, index - retain);
    trace.add(events.now(), n.id(), "snapshot", snapshot + ", compact to " + upTo);
    n.raw().compact(upTo);
  }

  /**
   * A follower's ready carries a snapshot its core accepted: the state machine is restored from it
   * now (the entries of earlier readies are applied), the log view restarts after it, and the disk
   * installs it with this ready's write.
   */
  private SimSnapshot install(SimNode n, Ready r) {
    SnapshotMeta meta = r.snapshot().orElseThrow();
    SimNode.Offered o = n.offered().remove(meta);
    if (o == null) {
      throw new InvariantViolation(
          "Ready contract",
          n.id() + " was asked to install " + meta + ", which its core was not offered");
    }
    if (meta.lastIndex() <= n.applied().size()) {
      throw new InvariantViolation(
          "Snapshot",
          n.id()
              + " was asked to install a snapshot at "
              + meta.lastIndex()
              + " after applying "
              + n.applied().size()
              + " entries (its state machine would go back)");
    }
    n.onSnapshotEmitted(meta);
    n.restore(o.snapshot());
    n.installing().put(r.number(), o);
    snapshotsInstalled++;
    trace.add(events.now(), n.id(), "install", o.snapshot());
    n.raw().onApplied(meta.lastIndex());
    return o.snapshot();
  }

  /** The leader's runtime streams its latest durable snapshot (one message here). */
  private void sendSnapshot(SimNode n, SnapshotRequest request) {
    NodeId to = request.to();
    SimSnapshot latest = n.disk().snapshot();
    int incarnation = n.incarnation();
    if (latest == null) {
      trace.add(events.now(), n.id(), "no-snapshot", "for " + to);
      events.after(TICK, () -> reportSnapshot(n, incarnation, to, false, "no snapshot"));
      return;
    }
    // A newer request replaces the transfer under way, which then needs no report.
    SimNode.Transfer transfer =
        new SimNode.Transfer(nextTransferId++, latest.meta(), request.term());
    n.transfers().put(to, transfer);
    snapshotsSent++;
    SnapshotMeta meta = latest.meta();
    network.send(
        outgoing(
            n,
            new InstallSnapshot(
                n.id(),
                to,
                request.term(),
                meta.lastIndex(),
                meta.lastTerm(),
                meta.membership(),
                0,
                new byte[0],
                0,
                true,
                0)));
    events.after(
        SNAPSHOT_TIMEOUT,
        () -> {
          if (n.isUp()
              && n.incarnation() == incarnation
              && transfer.equals(n.transfers().get(to))) {
            n.transfers().remove(to);
            reportSnapshot(n, incarnation, to, false, "timed out");
          }
        });
  }

  private void reportSnapshot(
      SimNode n, int incarnation, NodeId peer, boolean success, String why) {
    if (!n.isUp() || n.incarnation() != incarnation) {
      return;
    }
    trace.add(
        events.now(), n.id(), "snap-report", peer + (success ? " succeeded" : " failed: " + why));
    n.raw().reportSnapshot(peer, success);
    drain(n);
  }

  private void onSnapshotResponse(SimNode n, InstallSnapshotResponse r) {
    SimNode.Transfer t = n.transfers().get(r.from());
    if (t == null || t.meta().lastIndex() != r.lastIncludedIndex()) {
      return; // a duplicate, or the answer to a transfer already replaced or timed out
    }
    n.transfers().remove(r.from());
    if (r.term() > t.term()) {
      reportSnapshot(n, n.incarnation(), r.from(), false, "follower in term " + r.term());
    } else {
      reportSnapshot(n, n.incarnation(), r.from(), r.success(), "refused");
    }
  }

  /**
   * A follower's runtime received a whole snapshot (its state comes out of band) and offers it to
   * the core; one the core declines is answered at once, one it accepts once installed.
   */
  private void receiveSnapshot(SimNode n, InstallSnapshot m) {
    SimSnapshot snapshot =
        snapshots.get(new SnapshotKey(m.lastIncludedIndex(), m.lastIncludedTerm()));
    if (snapshot == null || !snapshot.meta().membership().equals(m.membership())) {
      throw new InvariantViolation(
          "Snapshot transfer", m.from() + " sent a snapshot nobody took: " + Describe.message(m));
    }
    boolean accepted = n.raw().offerSnapshot(m.from(), m.term(), snapshot.meta());
    trace.add(events.now(), n.id(), accepted ? "offer-accepted" : "offer-declined", snapshot);
    if (accepted) {
      n.offered().put(snapshot.meta(), new SimNode.Offered(snapshot, m.from(), m.term()));
    } else {
      long term = Math.max(n.raw().term(), m.term());
      network.send(
          outgoing(
              n,
              new InstallSnapshotResponse(n.id(), m.from(), term, m.lastIncludedIndex(), 0, true)));
    }
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

  /** The nodes that run or may run again, including removed members; retired ones excluded. */
  List<NodeId> ids() {
    return List.copyOf(ids);
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

  long snapshotsTaken() {
    return snapshotsTaken;
  }

  long snapshotsSent() {
    return snapshotsSent;
  }

  long snapshotsInstalled() {
    return snapshotsInstalled;
  }

  long membershipChanges() {
    return membershipChanges;
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
    return appliedOn(nodes.keySet(), index, term);
  }

  /** True once each of {@code members} is up and has applied the entry at {@code index}. */
  boolean appliedOn(Collection<NodeId> members, long index, long term) {
    for (NodeId id : members) {
      SimNode n = node(id);
      if (!n.isUp()
          || n.applied().size() < index
          || n.applied().get((int) (index - 1)).term() != term) {
        return false;
      }
    }
    return true;
  }

  /**
   * The members of the leader's configuration (the latest in its log), or every node while there is
   * no leader. Nodes that were removed, or whose addition never took effect, are not members.
   */
  Set<NodeId> members() {
    Optional<NodeId> leader = leader();
    if (leader.isEmpty()) {
      return Set.copyOf(ids);
    }
    return node(leader.get()).logConfig().allMembers();
  }

  /**
   * True once a leader's configuration is simple, has no learners left to promote, and is
   * committed: no membership change is under way.
   */
  boolean configurationSettled() {
    Optional<NodeId> leader = leader();
    if (leader.isEmpty()) {
      return false;
    }
    SimNode n = node(leader.get());
    Membership c = n.logConfig();
    return !c.isJoint()
        && c.learners().isEmpty()
        && n.logConfigIndex() <= n.raw().status().commitIndex();
  }

  /** After the liveness phase: all nodes applied the same log, with every acknowledged entry. */
  void checkConverged() {
    checkConverged(nodes.keySet());
  }

  /** Like {@link #checkConverged()}, for the given members only. */
  void checkConverged(Collection<NodeId> members) {
    run(
        () -> {
          List<SimNode> checked = new ArrayList<>();
          members.forEach(id -> checked.add(node(id)));
          safety.checkConverged(checked);
        });
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
          if (!n.isUp() && !n.isRetired()) {
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

  /**
   * Starts a new node with an empty disk, as an operator would before adding it: it knows the
   * configuration {@code base} (the one that adds it as a learner), and the network reaches it.
   *
   * @return its id, {@code n<k>} for the next unused k
   */
  NodeId addNode(Membership base) {
    return call(
        () -> {
          NodeId id = nextNodeId();
          if (!base.learners().contains(id)) {
            throw new IllegalArgumentException(id + " is no learner of " + base);
          }
          SimNode n =
              new SimNode(id, config(id), base, new SimDisk(HardState.INITIAL, new MemoryLog()));
          lastNodeNumber++;
          nodes.put(id, n);
          ids.add(id);
          network.addNode(id);
          n.start(new Random(random.nextLong()));
          trace.add(events.now(), id, "NEW-NODE", Describe.membership(base));
          scheduleTicks(n, events.now() + 1 + random.nextInt(TICK));
          drain(n);
          return id;
        });
  }

  /** The id {@link #addNode} gives the next node. */
  NodeId nextNodeId() {
    return id(lastNodeNumber + 1);
  }

  /** The address a node added as {@code id} listens at. */
  static NodeAddress addressOf(NodeId id) {
    return address(Integer.parseInt(id.value().substring(1)));
  }

  /** Stops a node whose addition was refused, for good; it never counts as a node again. */
  void retire(NodeId id) {
    run(
        () -> {
          SimNode n = node(id);
          n.retire(random, events.now());
          ids.remove(id);
          trace.add(events.now(), id, "RETIRE", "never joined");
        });
  }

  /** Offers a configuration change to a node (the leader, if it is to be accepted). */
  ProposeResult proposeMembership(NodeId id, Membership target) {
    return call(
        () -> {
          SimNode n = node(id);
          ProposeResult result = n.raw().proposeMembership(target, events.now());
          if (result instanceof ProposeResult.Accepted) {
            membershipChanges++;
          }
          trace.add(
              events.now(),
              id,
              "change",
              Describe.membership(target) + " " + Describe.result(result));
          drain(n);
          return result;
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
