package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ReadState;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Raft safety properties (Raft paper, Figure 3), checked incrementally as the world runs: each
 * check looks only at what just happened, against global records kept since the start. A broken
 * property throws an {@link InvariantViolation} that names it.
 */
final class SafetyChecker {

  private record Key(long index, long term) {}

  private record Logged(LogEntry entry, long prevTerm) {}

  private record Ballot(NodeId voter, long term) {}

  private record Vote(NodeId candidate, long time) {}

  /** Election Safety: the leader seen in each term. */
  private final Map<Long, NodeId> leaders = new TreeMap<>();

  /**
   * Every entry any node has emitted for persistence or held durably, with the term of the entry
   * before it. If two logs hold an entry with the same index and term, it must be the same entry
   * after the same previous term; by induction the logs are then identical up to it (Log Matching).
   * Used for lookups only, never iterated.
   */
  private final Map<Key, Logged> logged = new HashMap<>();

  /** State Machine Safety: the entry applied at index i, by any node, is at position i - 1. */
  private final List<LogEntry> committed = new ArrayList<>();

  /**
   * For each committed index, an upper bound on the term in which it became committed: the lowest
   * term any node was in when it applied the entry. A node learns of a commit from the leader that
   * made it or a later one, so the real commit term is no higher. Only leaders of later terms are
   * bound to hold the entry: a candidate of an older term can still win with votes that were
   * delayed in the network.
   */
  private final List<Long> committedBy = new ArrayList<>();

  private final Map<Long, LogEntry> acknowledged = new TreeMap<>();

  /**
   * Every vote cast so far, as seen on the wire: the candidate each node voted for in each term,
   * and when. A node that asks for votes has voted for itself. Used for lookups only, never
   * iterated.
   */
  private final Map<Ballot, Vote> votes = new HashMap<>();

  private long readsChecked;

  /** The configuration the cluster was bootstrapped with, in force before any entry. */
  private Membership bootstrap;

  /**
   * The highest commit index any node has reported: every node's commit index is committed, so this
   * is a lower bound of what the cluster has committed, and is usually exact.
   */
  private long globalCommit;

  void setBootstrap(Membership membership) {
    this.bootstrap = membership;
  }

  void onCommitIndex(long index) {
    globalCommit = Math.max(globalCommit, index);
  }

  long globalCommitIndex() {
    return globalCommit;
  }

  /**
   * A node took a snapshot of its state machine. By State Machine Safety its state must be the
   * committed log's prefix, and its meta must name that prefix's last term and the configuration in
   * force there (the latest configuration entry in the prefix, or the bootstrap one).
   */
  void onSnapshot(NodeId node, SimSnapshot snapshot) {
    int index = (int) snapshot.index();
    if (index > committed.size() || !committed.subList(0, index).equals(snapshot.state())) {
      throw new InvariantViolation(
          "State Machine Safety",
          node + " took " + snapshot + " whose state is not the committed log's prefix");
    }
    Membership expected = membershipAt(index);
    if (!snapshot.meta().membership().equals(expected)) {
      throw new InvariantViolation(
          "Snapshot membership",
          node
              + " took "
              + snapshot
              + " but the configuration in force at "
              + index
              + " is "
              + Describe.membership(expected));
    }
  }

  /** The configuration in force after the committed entry at {@code index}. */
  Membership membershipAt(long index) {
    for (int i = (int) index - 1; i >= 0; i--) {
      LogEntry e = committed.get(i);
      if (e.type() == EntryType.CONFIGURATION) {
        return MembershipCodec.decodeEntry(e.payload());
      }
    }
    return bootstrap;
  }

  /** Records the entries of a log a scripted scenario built before the world started. */
  void registerInitialLog(NodeId node, MemoryLog log) {
    long prevTerm = 0;
    for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
      LogEntry e = log.entry(i);
      record(node, e, prevTerm, "was built with");
      prevTerm = e.term();
    }
  }

  /** Election Safety: at most one leader per term. */
  void onLeader(NodeId node, long term) {
    NodeId previous = leaders.putIfAbsent(term, node);
    if (previous != null && !previous.equals(node)) {
      throw new InvariantViolation(
          "Election Safety", "term " + term + " has two leaders: " + previous + " and " + node);
    }
  }

  /**
   * One vote per term (Raft paper, Figure 2: votedFor survives crashes): a node that has sent a
   * granted vote, or a request for votes, in a term never votes for anyone else in that term, even
   * after a crash. Two leaders in a term need such a double vote, but a double vote alone rarely
   * produces them, so it is checked directly, as each message leaves its node.
   */
  void onSent(RaftMessage m, long now) {
    NodeId candidate;
    if (m instanceof RequestVote v && !v.preVote()) {
      candidate = m.from();
    } else if (m instanceof RequestVoteResponse r && !r.preVote() && r.granted()) {
      candidate = m.to();
    } else {
      return;
    }
    Vote earlier = votes.putIfAbsent(new Ballot(m.from(), m.term()), new Vote(candidate, now));
    if (earlier != null && !earlier.candidate().equals(candidate)) {
      throw new InvariantViolation(
          "Vote Safety",
          m.from()
              + " voted for "
              + earlier.candidate()
              + " in term "
              + m.term()
              + " at tick "
              + Describe.time(earlier.time())
              + ", then for "
              + candidate
              + ": "
              + Describe.message(m));
    }
  }

  /**
   * Leader Completeness: a node that becomes leader holds (durably or about to be) every entry
   * known to be committed in an earlier term.
   */
  void onBecameLeader(SimNode node, long term) {
    MemoryLog log = node.emitted();
    // Entries before the log's first are in the node's snapshot, checked when it was taken.
    for (int i = (int) Math.max(0, log.firstIndex() - 2); i < committed.size(); i++) {
      if (committedBy.get(i) >= term) {
        continue;
      }
      LogEntry expected = committed.get(i);
      long index = i + 1L;
      boolean held =
          index == log.firstIndex() - 1
              ? log.term(index) == expected.term()
              : index <= log.lastIndex() && log.entry(index).equals(expected);
      if (!held) {
        String has =
            index < log.firstIndex()
                ? "a snapshot ending in term " + log.term(index)
                : index <= log.lastIndex()
                    ? Describe.entry(log.entry(index))
                    : "nothing (its last index is " + log.lastIndex() + ")";
        throw new InvariantViolation(
            "Leader Completeness",
            node.id()
                + " became leader of term "
                + term
                + " but lacks committed entry "
                + Describe.entry(expected)
                + "; it has "
                + has);
      }
    }
  }

  /**
   * Checks a batch of entries a node hands out for persistence, before it joins the node's view of
   * its log: Log Matching against every entry seen so far, and Leader Append-Only (a leader only
   * appends new entries of its own term after its last index, so its last index never decreases).
   */
  void onEntries(SimNode node, Role role, long term, List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    MemoryLog log = node.emitted();
    long first = entries.get(0).index();
    if (first > log.lastIndex() + 1) {
      throw new InvariantViolation(
          "Log Matching",
          node.id()
              + " emitted entries from "
              + first
              + ", past its last index "
              + log.lastIndex());
    }
    if (role == Role.LEADER && first <= log.lastIndex()) {
      throw new InvariantViolation(
          "Leader Append-Only",
          node.id()
              + ", leader of term "
              + term
              + ", rewrote its log from index "
              + first
              + " (its last index was "
              + log.lastIndex()
              + "): "
              + Describe.entries(entries));
    }
    long prevTerm = log.term(first - 1);
    long expectedIndex = first;
    for (LogEntry e : entries) {
      if (e.index() != expectedIndex) {
        throw new InvariantViolation(
            "Log Matching",
            node.id() + " emitted a non-contiguous batch " + Describe.entries(entries));
      }
      if (e.term() < prevTerm || e.term() > term) {
        throw new InvariantViolation(
            "Log Matching",
            node.id()
                + " in term "
                + term
                + " emitted "
                + Describe.entry(e)
                + " after an entry of term "
                + prevTerm
                + " (terms in a log never decrease nor exceed the current term)");
      }
      if (role == Role.LEADER && e.term() != term) {
        throw new InvariantViolation(
            "Leader Append-Only",
            node.id() + ", leader of term " + term + ", appended " + Describe.entry(e));
      }
      record(node.id(), e, prevTerm, "emitted");
      prevTerm = e.term();
      expectedIndex++;
    }
  }

  private void record(NodeId node, LogEntry e, long prevTerm, String how) {
    Logged seen = logged.putIfAbsent(new Key(e.index(), e.term()), new Logged(e, prevTerm));
    if (seen != null && (!seen.entry().equals(e) || seen.prevTerm() != prevTerm)) {
      throw new InvariantViolation(
          "Log Matching",
          node
              + " "
              + how
              + " "
              + Describe.entry(e)
              + " after an entry of term "
              + prevTerm
              + ", but an earlier log had "
              + Describe.entry(seen.entry())
              + " after an entry of term "
              + seen.prevTerm());
    }
  }

  /**
   * Checks one committed entry as a node applies it: in order, already durable locally (the {@code
   * Ready} contract), and the same entry every other node applied at that index (State Machine
   * Safety).
   */
  void onApply(SimNode node, LogEntry e, long nodeTerm) {
    int appliedCount = node.applied().size();
    if (e.index() != appliedCount + 1L) {
      throw new InvariantViolation(
          "Apply order",
          node.id() + " was handed " + Describe.entry(e) + " to apply after index " + appliedCount);
    }
    MemoryLog durable = node.disk().log();
    if (e.index() > durable.lastIndex() || !durable.entry(e.index()).equals(e)) {
      throw new InvariantViolation(
          "Ready contract",
          node.id()
              + " was handed committed entry "
              + Describe.entry(e)
              + " that is not durable locally (durable last index "
              + durable.lastIndex()
              + ")");
    }
    if (appliedCount < committed.size()) {
      LogEntry other = committed.get(appliedCount);
      if (!other.equals(e)) {
        throw new InvariantViolation(
            "State Machine Safety",
            node.id()
                + " applied "
                + Describe.entry(e)
                + " but "
                + Describe.entry(other)
                + " was applied at that index before");
      }
      if (nodeTerm < committedBy.get(appliedCount)) {
        committedBy.set(appliedCount, nodeTerm);
      }
    } else {
      committed.add(e);
      committedBy.add(nodeTerm);
    }
  }

  /** A proposal came back committed at its index and term: it must carry what was proposed. */
  void onAcknowledged(NodeId node, LogEntry e, String proposed) {
    if (e.type() != EntryType.COMMAND || !Describe.payload(e.payload()).equals(proposed)) {
      throw new InvariantViolation(
          "Acknowledged proposal",
          node
              + " committed "
              + Describe.entry(e)
              + " at the index and term where it accepted '"
              + proposed
              + "'");
    }
    acknowledged.put(e.index(), e);
  }

  /** ReadIndex safety: the read index covers everything committed before the read was issued. */
  void onReadState(NodeId node, ReadState read, Long committedAtIssue) {
    if (committedAtIssue == null) {
      throw new InvariantViolation(
          "ReadIndex",
          node + " answered read " + read.requestId() + ", which it has no record of (or twice)");
    }
    if (read.index() < committedAtIssue) {
      throw new InvariantViolation(
          "ReadIndex safety",
          node
              + " answered read "
              + read.requestId()
              + " with index "
              + read.index()
              + ", but index "
              + committedAtIssue
              + " was committed before the read was issued");
    }
    readsChecked++;
  }

  /** Every leader seen so far, by term. */
  Map<Long, NodeId> leadersByTerm() {
    return leaders;
  }

  /** The highest index any node has applied, hence known committed. */
  long maxCommittedIndex() {
    return committed.size();
  }

  Map<Long, LogEntry> acknowledged() {
    return acknowledged;
  }

  long readsChecked() {
    return readsChecked;
  }

  /** After the liveness phase: every node applied the same log, with every acknowledged entry. */
  void checkConverged(Collection<SimNode> nodes) {
    for (SimNode node : nodes) {
      List<LogEntry> applied = node.applied();
      if (applied.size() != committed.size() || !applied.equals(committed)) {
        throw new InvariantViolation(
            "Convergence",
            node.id()
                + " applied "
                + applied.size()
                + " entries, but "
                + committed.size()
                + " are committed");
      }
    }
    for (LogEntry e : acknowledged.values()) {
      if (e.index() > committed.size() || !committed.get((int) (e.index() - 1)).equals(e)) {
        throw new InvariantViolation(
            "Acknowledged proposal", "acknowledged " + Describe.entry(e) + " is not applied");
      }
    }
  }
}
