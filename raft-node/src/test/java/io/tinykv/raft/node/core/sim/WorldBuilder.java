package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.HardState;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Settings for a {@link World}: node count, config adjustments, network and disk behaviour, and
 * optionally the durable state each node starts from. Node {@code i} is named {@code n<i>}.
 */
final class WorldBuilder {

  record Durable(HardState hardState, List<LogEntry> log) {
    static final Durable EMPTY = new Durable(HardState.INITIAL, List.of());
  }

  final long seed;
  int size = 3;
  UnaryOperator<RaftConfig.Builder> config = c -> c;
  Network.Conditions conditions = Network.Conditions.reliable();
  int diskMinLatency = 1;
  int diskMaxLatency = 4;
  final Map<NodeId, Durable> durable = new TreeMap<>();
  String scenario = "scripted";
  String replay =
      "./mvnw -pl raft-node -am test -Dtest=SimulationTest -Dsim.seed=<seed>"
          + " -Dsurefire.failIfNoSpecifiedTests=false";
  boolean echoTrace;
  int snapshotEvery;
  int maxRetainedEntries;

  WorldBuilder(long seed) {
    this.seed = seed;
  }

  WorldBuilder nodes(int count) {
    this.size = count;
    return this;
  }

  /** Adjusts each node's config; electionTicks and heartbeatTicks start at 10 and 2. */
  WorldBuilder config(UnaryOperator<RaftConfig.Builder> adjust) {
    this.config = adjust;
    return this;
  }

  WorldBuilder network(Network.Conditions value) {
    this.conditions = value;
    return this;
  }

  /** Disk write latency range, in time units. */
  WorldBuilder diskLatency(int min, int max) {
    this.diskMinLatency = min;
    this.diskMaxLatency = max;
    return this;
  }

  /** Starts node {@code n<i>} from this durable state instead of an empty one. */
  WorldBuilder durable(int i, HardState hardState, List<LogEntry> log) {
    this.durable.put(World.id(i), new Durable(hardState, List.copyOf(log)));
    return this;
  }

  WorldBuilder scenario(String description) {
    this.scenario = description;
    return this;
  }

  /** The command that replays this world; {@code <seed>} is replaced by the seed. */
  WorldBuilder replay(String command) {
    this.replay = command;
    return this;
  }

  /** Prints every trace event as it happens (replaying one seed). */
  WorldBuilder echoTrace(boolean value) {
    this.echoTrace = value;
    return this;
  }

  /**
   * Nodes snapshot their state machine after applying {@code every} entries since the last snapshot
   * (0: never) and compact their logs up to at most {@code maxRetained} entries before it.
   */
  WorldBuilder snapshots(int every, int maxRetained) {
    if (every < 0 || maxRetained < 0) {
      throw new IllegalArgumentException("bad snapshot settings " + every + ", " + maxRetained);
    }
    this.snapshotEvery = every;
    this.maxRetainedEntries = maxRetained;
    return this;
  }

  World build() {
    return new World(this);
  }
}
