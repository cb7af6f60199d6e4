package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * One core on a {@link MemoryLog}, with a synchronous runtime: each ready is made durable at once,
 * in the contract's order (snapshot, entries, compaction), and its committed entries are applied.
 */
final class CoreHarness {

  static final NodeId N1 = NodeId.of("n1");
  static final NodeId N2 = NodeId.of("n2");
  static final NodeId N3 = NodeId.of("n3");
  static final NodeId N4 = NodeId.of("n4");

  /** The bootstrap configuration of the tests: n1, n2, n3 as voters, with addresses. */
  static final Membership THREE =
      Membership.ofVoters(Map.of(N1, address(N1), N2, address(N2), N3, address(N3)));

  final MemoryLog log = new MemoryLog();
  final List<LogEntry> applied = new ArrayList<>();
  final RawNode node;

  CoreHarness(RaftConfig config, Membership base) {
    this.node = new RawNode(config, base, HardState.INITIAL, log, 0, new Random(7)::nextInt);
  }

  CoreHarness(NodeId id, Membership base) {
    this(RaftConfig.builder(id).electionTicks(10).heartbeatTicks(1).build(), base);
  }

  static NodeAddress address(NodeId id) {
    return new NodeAddress("127.0.0.1", 7000 + Integer.parseInt(id.value().substring(1)));
  }

  /** Collects one ready, makes it durable and applies its committed entries. */
  Ready persist() {
    Ready r = node.ready();
    r.snapshot().ifPresent(m -> log.resetTo(m.lastIndex(), m.lastTerm()));
    log.append(r.entries());
    if (r.compactIndex() > 0) {
      log.compactPrefix(Math.min(r.compactIndex(), log.lastIndex()));
    }
    node.onPersisted(r.number());
    r.snapshot().ifPresent(m -> node.onApplied(m.lastIndex()));
    applied.addAll(r.committedEntries());
    if (!r.committedEntries().isEmpty()) {
      node.onApplied(r.committedEntries().get(r.committedEntries().size() - 1).index());
    }
    return r;
  }

  /** Persists every pending ready; returns the messages they carried, in order. */
  List<RaftMessage> drain() {
    List<RaftMessage> out = new ArrayList<>();
    while (node.hasReady()) {
      Ready r = persist();
      out.addAll(r.messages());
      out.addAll(r.persistedMessages());
    }
    return out;
  }

  /** Persists every pending ready; returns the snapshot requests they carried. */
  List<SnapshotRequest> drainSnapshotRequests() {
    List<SnapshotRequest> out = new ArrayList<>();
    while (node.hasReady()) {
      out.addAll(persist().snapshotRequests());
    }
    return out;
  }

  void step(RaftMessage m) {
    node.step(m);
  }

  /** Makes this node leader of term 1 with the votes of {@code voters}, and drains. */
  void elect(NodeId... voters) {
    node.campaign();
    drain();
    for (NodeId voter : voters) {
      node.step(new RequestVoteResponse(voter, node.id(), node.term(), false, true));
    }
    drain();
    if (node.role() != Role.LEADER) {
      throw new AssertionError(node.id() + " did not win: " + node.status());
    }
  }

  /** Messages of a type, by recipient, from a list of sent messages. */
  static <T extends RaftMessage> Map<NodeId, List<T>> byRecipient(
      List<RaftMessage> sent, Class<T> type) {
    Map<NodeId, List<T>> out = new TreeMap<>();
    for (RaftMessage m : sent) {
      if (type.isInstance(m)) {
        out.computeIfAbsent(m.to(), k -> new ArrayList<>()).add(type.cast(m));
      }
    }
    return out;
  }
}
