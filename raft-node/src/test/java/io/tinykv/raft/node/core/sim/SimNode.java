package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RandomSource;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One simulated server: its disk (which survives crashes) and, while it is up, its core, its view
 * of the core's log, its state machine and its clients' pending requests (all lost in a crash).
 */
final class SimNode {

  /** A proposal the core accepted at some index, waiting to be committed there. */
  record Proposal(long term, String payload) {}

  private final NodeId id;
  private final RaftConfig config;
  private final Membership membership;
  private final SimDisk disk;

  /** Null while the node is down. */
  private RawNode raw;

  /** Counts restarts; disk completions of an earlier incarnation are ignored. */
  private int incarnation;

  /**
   * The core's whole log as its readies described it: the durable log plus the entries handed out
   * for persistence and not yet written. Rebuilt from the durable log on restart.
   */
  private MemoryLog emitted;

  /** The state machine: every entry applied, in order; index i is at position i - 1. */
  private final List<LogEntry> applied = new ArrayList<>();

  /** Accepted proposals not yet committed, by index. */
  private final Map<Long, Proposal> proposals = new TreeMap<>();

  /** Outstanding reads: request id to the highest index known committed when it was issued. */
  private final Map<Long, Long> reads = new TreeMap<>();

  private long lastReadyNumber;
  private Role observedRole = Role.FOLLOWER;
  private long observedTerm;

  SimNode(NodeId id, RaftConfig config, Membership membership, SimDisk disk) {
    this.id = id;
    this.config = config;
    this.membership = membership;
    this.disk = disk;
  }

  /** Boots the node from what is durable, with a fresh state machine that replays from index 1. */
  void start(Random random) {
    RandomSource source = random::nextInt;
    MemoryLog log = disk.reopen();
    raw = new RawNode(config, membership, disk.hardState(), log, 0, source);
    incarnation++;
    emitted = new MemoryLog(log);
    applied.clear();
    proposals.clear();
    reads.clear();
    lastReadyNumber = 0;
    observedRole = raw.role();
    observedTerm = raw.term();
  }

  /** Stops the node; its pending disk writes are lost, except perhaps a torn part of one. */
  String crash(Random random, long now) {
    raw = null;
    proposals.clear();
    reads.clear();
    return disk.crash(random, now);
  }

  boolean isUp() {
    return raw != null;
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

  List<LogEntry> applied() {
    return applied;
  }

  Map<Long, Proposal> proposals() {
    return proposals;
  }

  Map<Long, Long> reads() {
    return reads;
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

  /** One line for failure messages: role, term and log positions, or "down". */
  String summary() {
    if (raw == null) {
      return id + " down (durable last " + disk.log().lastIndex() + ")";
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
          + " last="
          + s.lastIndex()
          + " persisted="
          + s.persistedIndex()
          + " durable="
          + disk.log().lastIndex()
          + " commit="
          + s.commitIndex()
          + " applied="
          + applied.size();
    } catch (RuntimeException e) {
      return id + " (status failed: " + e + ")";
    }
  }
}
