package io.tinykv.raft.benchmarks.core;

import io.tinykv.raft.benchmarks.storage.Throughput;
import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.memory.MemoryLog;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure core's cost per write, with no threads, I/O or serialization: propose a batch of {@code
 * batch} 100-byte commands on the leader, then run every {@link Ready} (in-memory log, messages
 * handed straight to the other cores) until the batch is committed and applied everywhere. With one
 * node this is propose -> Ready -> persisted -> committed -> applied; with three it adds the
 * leader's AppendEntries, the followers' appends and acknowledgements, and the commit rule.
 *
 * <p>The primary score is batches per second; {@code entries} is writes per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Thread)
public class CoreCycleBenchmark {

  /** Readies processed per batch at most; far more than any batch needs. */
  private static final int MAX_ROUNDS = 10_000;

  @Param({"1", "3"})
  public int nodes;

  @Param({"1", "16", "256"})
  public int batch;

  private final byte[] payload = new byte[100];
  private Map<NodeId, Member> members;
  private Member leader;
  private final ArrayDeque<RaftMessage> inFlight = new ArrayDeque<>();

  private static final class Member {
    final MemoryLog log = new MemoryLog();
    final RawNode raw;
    long applied;

    Member(NodeId id, Membership membership, long seed) {
      Random random = new Random(seed);
      raw =
          new RawNode(
              RaftConfig.builder(id).build(),
              membership,
              HardState.INITIAL,
              log,
              0,
              random::nextInt);
    }
  }

  /** A new cluster per iteration keeps the in-memory logs from growing without bound. */
  @Setup(Level.Iteration)
  public void newCluster() {
    members = new LinkedHashMap<>();
    Set<NodeId> ids = new java.util.LinkedHashSet<>();
    for (int i = 1; i <= nodes; i++) {
      ids.add(NodeId.of("n" + i));
    }
    Membership membership = Membership.ofVoters(ids);
    long seed = 42;
    for (NodeId id : ids) {
      members.put(id, new Member(id, membership, seed++));
    }
    leader = members.get(NodeId.of("n1"));
    leader.raw.campaign();
    runReadies();
    if (leader.raw.role() != Role.LEADER) {
      throw new IllegalStateException("n1 did not become leader: " + leader.raw.status());
    }
  }

  @Benchmark
  public long proposeToApplied(Throughput throughput) {
    long last = 0;
    for (int i = 0; i < batch; i++) {
      ProposeResult result = leader.raw.propose(payload, 0);
      if (!(result instanceof ProposeResult.Accepted accepted)) {
        throw new IllegalStateException("the leader refused a proposal: " + result);
      }
      last = accepted.index();
    }
    runReadies();
    for (Member m : members.values()) {
      if (m.applied < last) {
        throw new IllegalStateException("index " + last + " not applied on every node");
      }
    }
    throughput.entries += batch;
    throughput.payloadBytes += (long) batch * payload.length;
    return last;
  }

  /** Runs every node's readies and delivers every message until nothing is left to do. */
  private void runReadies() {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      boolean progress = false;
      for (Member m : members.values()) {
        if (m.raw.hasReady()) {
          progress = true;
          Ready ready = m.raw.ready();
          inFlight.addAll(ready.messages());
          if (!ready.entries().isEmpty()) {
            m.log.append(ready.entries());
            m.log.sync();
          }
          m.raw.onPersisted(ready.number());
          inFlight.addAll(ready.persistedMessages());
          List<LogEntry> committed = ready.committedEntries();
          if (!committed.isEmpty()) {
            m.applied = committed.get(committed.size() - 1).index();
            m.raw.onApplied(m.applied);
          }
        }
      }
      while (!inFlight.isEmpty()) {
        RaftMessage message = inFlight.poll();
        members.get(message.to()).raw.step(message);
        progress = true;
      }
      if (!progress) {
        return;
      }
    }
    throw new IllegalStateException("the cluster did not settle within " + MAX_ROUNDS + " rounds");
  }
}
