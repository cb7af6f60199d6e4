package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RandomSource;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One simulated server: its disk (which survives crashes) and, while it is up, its core, its view
 * of the core's log, its state machine, its snapshot transfers and its clients' pending requests
 * (all lost in a crash).
 */
final class SimNode {

  /** A proposal the core accepted at some index, waiting to be committed there. */
  record Proposal(long term, String payload) {}

  /** A snapshot the core accepted from {@code leader} of {@code leaderTerm}, to be installed. */
  record Offered(SimSnapshot snapshot, NodeId leader, long leaderTerm) {}

  /** A snapshot this leader is streaming to a follower; {@code id} tells transfers apart. */
  record Transfer(long id, SnapshotMeta meta, long term) {}

  private final NodeId id;
  private final RaftConfig config;

  /**
   * The configuration in force before the log's first entry when the node has no snapshot: the
   * bootstrap one, or for a node that joined later the configuration that added it as a learner.
   */
  private final Membership base;

  private final SimDisk disk;

  /** Null while the node is down. */
  private RawNode raw;

  /** A node that never joined the cluster (its addition was refused) stays down for good. */
  private boolean retired;

  /** Counts restarts; disk completions of an earlier incarnation are ignored. */
  private int incarnation;

  /**
   * The core's whole log as its readies described it: the durable log plus the entries handed out
   * for persistence and not yet written. Rebuilt from the durable log on restart.
   */
  private MemoryLog emitted;

  /**
   * The configuration entries of {@link #emitted} by index, and the configuration in force before
   * its first entry: what the core's configuration must be (the latest one in its log).
   */
  private final TreeMap<Long, Membership> logConfigs = new TreeMap<>();

  private Membership logBase;

  /** The state machine: every entry applied, in order; index i is at position i - 1. */
  private List<LogEntry> applied = new ArrayList<>();

  /** The configuration in force at the applied index, which a snapshot taken now records. */
  private Membership appliedMembership;

  /** The index of the latest snapshot taken or restored (0 if none). */
  private long lastSnapshotIndex;

  /** Accepted proposals not yet committed, by index. */
  private final Map<Long, Proposal> proposals = new TreeMap<>();

  /** Outstanding reads: request id to the highest index known committed when it was issued. */
  private final Map<Long, Long> reads = new TreeMap<>();

  /** Snapshots the core accepted and not yet handed out for installation. */
  private final Map<SnapshotMeta, Offered> offered = new HashMap<>();

  /** Snapshots being installed, by the number of the ready that carries them. */
  private final Map<Long, Offered> installing = new TreeMap<>();

  /** Outgoing snapshot transfers, by follower. */
  private final Map<NodeId, Transfer> transfers = new TreeMap<>();

  private long lastReadyNumber;
  private Role observedRole = Role.FOLLOWER;
  private long observedTerm;

  SimNode(NodeId id, RaftConfig config, Membership base, SimDisk disk) {
    this.id = id;
    this.config = config;
    this.base = base;
    this.disk = disk;
  }

  /**
   * Boots the node from what is durable: its latest snapshot (the state machine's state, the
   * applied index and the configuration before the log), then the log after it.
   */
  void start(Random random) {
    if (retired) {
      throw new IllegalStateException(id + " is retired");
    }
    RandomSource source = random::nextInt;
    MemoryLog log = disk.reopen();
    SimSnapshot snapshot = disk.snapshot();
    Membership startBase = snapshot == null ? base : snapshot.meta().membership();
    long appliedIndex = snapshot == null ? 0 : snapshot.index();
    raw = new RawNode(config, startBase, disk.hardState(), log, appliedIndex, source);
    incarnation++;
    emitted = new MemoryLog(log);
    logBase = startBase;
    logConfigs.clear();
    onEmitted(emitted.entries(emitted.firstIndex(), emitted.lastIndex() + 1, Long.MAX_VALUE));
    applied = snapshot == null ? new ArrayList<>() : new ArrayList<>(snapshot.state());
    appliedMembership = startBase;
    lastSnapshotIndex = appliedIndex;
    proposals.clear();
    reads.clear();
    offered.clear();
    installing.clear();
    transfers.clear();
    lastReadyNumber = 0;
    observedRole = raw.role();
    observedTerm = raw.term();
  }

  /** Stops the node; its pending disk writes are lost, except perhaps a torn part of one. */
  String crash(Random random, long now) {
    raw = null;
    proposals.clear();
    reads.clear();
    offered.clear();
    installing.clear();
    transfers.clear();
    return disk.crash(random, now);
  }

  /** Stops a node that never joined, for good. */
  void retire(Random random, long now) {
    if (raw != null) {
      crash(random, now);
    }
    retired = true;
  }

  boolean isUp() {
    return raw != null;
  }

  boolean isRetired() {
    return retired;
  }

  NodeId id() {
    return id;
  }

  RaftConfig config() {
    return config;
  }

  /** The running core; fails if the node is down. */
  RawNode raw() {
    if (raw == null) {
      throw new IllegalStateException(id + " is down");
    }
    return raw;
  }

  SimDisk disk() {
    return disk;
  }

  int incarnation() {
    return incarnation;
  }

  MemoryLog emitted() {
    return emitted;
  }

  // ---- the configuration the core must be in ----

  /** Entries the core handed out for persistence join its log, replacing any suffix from there. */
  void onEmitted(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    logConfigs.tailMap(entries.get(0).index(), true).clear();
    for (LogEntry e : entries) {
      if (e.type() == EntryType.CONFIGURATION) {
        logConfigs.put(e.index(), MembershipCodec.decodeEntry(e.payload()));
      }
    }
  }

  /** The core replaced its whole log by a snapshot. */
  void onSnapshotEmitted(SnapshotMeta meta) {
    emitted.resetTo(meta.lastIndex(), meta.lastTerm());
    logConfigs.clear();
    logBase = meta.membership();
  }

  /** The latest configuration in the node's log, or the one before the log if it holds none. */
  Membership logConfig() {
    return logConfigs.isEmpty() ? logBase : logConfigs.lastEntry().getValue();
  }

  /** The index of the latest configuration entry in the log, or 0 if it holds none. */
  long logConfigIndex() {
    return logConfigs.isEmpty() ? 0 : logConfigs.lastKey();
  }

  /** How many configuration entries the log holds after {@code index}. */
  int configEntriesAfter(long index) {
    return logConfigs.tailMap(index, false).size();
  }

  // ---- the state machine ----

  List<LogEntry> applied() {
    return applied;
  }

  /** Applies one committed entry (already checked by the safety checker). */
  void apply(LogEntry e) {
    applied.add(e);
    if (e.type() == EntryType.CONFIGURATION) {
      appliedMembership = MembershipCodec.decodeEntry(e.payload());
    }
  }

  /** Replaces the state machine by a snapshot's state. */
  void restore(SimSnapshot snapshot) {
    applied = new ArrayList<>(snapshot.state());
    appliedMembership = snapshot.meta().membership();
    lastSnapshotIndex = snapshot.index();
    proposals.keySet().removeIf(index -> index <= snapshot.index());
  }

  Membership appliedMembership() {
    return appliedMembership;
  }

  long lastSnapshotIndex() {
    return lastSnapshotIndex;
  }

  void setLastSnapshotIndex(long index) {
    lastSnapshotIndex = index;
  }

  Map<Long, Proposal> proposals() {
    return proposals;
  }

  Map<Long, Long> reads() {
    return reads;
  }

  Map<SnapshotMeta, Offered> offered() {
    return offered;
  }

  Map<Long, Offered> installing() {
    return installing;
  }

  Map<NodeId, Transfer> transfers() {
    return transfers;
  }

  long lastReadyNumber() {
    return lastReadyNumber;
  }

  void setLastReadyNumber(long number) {
    lastReadyNumber = number;
  }

  Role observedRole() {
    return observedRole;
  }

  long observedTerm() {
    return observedTerm;
  }

  void observe(Role role, long term) {
    observedRole = role;
    observedTerm = term;
  }

  /** One line for failure messages: role, term, log positions and configuration, or "down". */
  String summary() {
    if (raw == null) {
      SimSnapshot s = disk.snapshot();
      return id
          + (retired ? " retired" : " down")
          + " (durable log "
          + disk.log().firstIndex()
          + ".."
          + disk.log().lastIndex()
          + (s == null ? "" : ", snapshot " + s.index() + "@" + s.term())
          + ")";
    }
    try {
      var s = raw.status();
      return id
          + " "
          + s.role()
          + " t"
          + s.term()
          + " leader="
          + s.leader().map(NodeId::toString).orElse("-")
          + " first="
          + s.firstIndex()
          + " last="
          + s.lastIndex()
          + " persisted="
          + s.persistedIndex()
          + " durable="
          + disk.log().lastIndex()
          + " commit="
          + s.commitIndex()
          + " applied="
          + applied.size()
          + " config="
          + Describe.membership(s.membership());
    } catch (RuntimeException e) {
      return id + " (status failed: " + e + ")";
    }
  }
}
