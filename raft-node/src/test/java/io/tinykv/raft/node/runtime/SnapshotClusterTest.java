package io.tinykv.raft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.api.RaftException;
import io.tinykv.raft.node.api.SnapshotResult;
import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import io.tinykv.raft.node.transport.local.LocalNetwork;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import io.tinykv.raft.storage.segment.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots end to end on three real nodes in one JVM (durable storage with fsync, the in-process
 * network): a follower that was down while the leader snapshotted and compacted catches up by
 * snapshot; a restart restores the newest snapshot and replays only the log after it; and the disk
 * stays bounded while writing many times the snapshot threshold.
 */
class SnapshotClusterTest {

  private static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int BATCH = 200;

  /** Small thresholds, so that a test writes many snapshots; small chunks, so that each is many. */
  private static final SnapshotOptions SNAPSHOTS =
      SnapshotOptions.DEFAULTS.withThresholds(500, 64L << 20, 100).withTransfer(4096, 4, 8L << 20);

  /** Small segments, so that compaction can free them (it frees whole segments). */
  private static final long SEGMENT_BYTES = 64 << 10;

  @TempDir Path root;

  private final LocalNetwork network = new LocalNetwork();
  private final Map<NodeId, DefaultRaftNode<Long>> nodes = new LinkedHashMap<>();
  private final Map<NodeId, StateMachine<Long>> machines = new LinkedHashMap<>();
  private SnapshotOptions snapshotOptions = SNAPSHOTS;

  private void start(NodeId id, Supplier<? extends StateMachine<Long>> machine) {
    RaftConfig config = RaftConfig.builder(id).electionTicks(15).heartbeatTicks(3).build();
    DiskStorage storage =
        DiskStorage.open(
            StorageConfig.of(root.resolve(id.value()), "test")
                .withLog(LogConfig.DEFAULT.withSegmentBytes(SEGMENT_BYTES)));
    StateMachine<Long> j = machine.get();
    DefaultRaftNode<Long> node =
        DefaultRaftNode.onDisk(
            config,
            RuntimeOptions.DEFAULTS.withSnapshots(snapshotOptions),
            Membership.ofVoters(new TreeSet<>(IDS)),
            storage,
            j,
            network.transportFor(id));
    nodes.put(id, node.start());
    machines.put(id, j);
  }

  private void stop(NodeId id) {
    nodes.remove(id).close();
  }

  @AfterEach
  void stopAll() {
    nodes.values().forEach(DefaultRaftNode::close);
    network.close();
  }

  private DefaultRaftNode<Long> awaitLeader() {
    return Leaders.await(nodes.values(), Optional.empty(), WAIT);
  }

  private Journal journal(NodeId id) {
    return (Journal) machines.get(id);
  }

  /** Submits {@code count} commands through the leader, 200 at a time, and waits for them. */
  private void write(String prefix, int count) throws Exception {
    write(count, i -> command(prefix + i), () -> {});
  }

  /**
   * Submits {@code count} commands made by {@code command} through the leader, {@value #BATCH} at a
   * time, waits for each batch, and then runs {@code afterBatch}. A command that definitely did not
   * apply (the leader changed under it, as it may on a loaded machine) is submitted again to the
   * new leader; any other failure fails the test.
   */
  private void write(int count, IntFunction<byte[]> command, Runnable afterBatch) throws Exception {
    for (int from = 0; from < count; from += BATCH) {
      List<Integer> pending = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + BATCH); i++) {
        pending.add(i);
      }
      for (int attempt = 1; !pending.isEmpty(); attempt++) {
        assertThat(attempt).as("attempts for commands %s", pending).isLessThanOrEqualTo(10);
        DefaultRaftNode<Long> leader = awaitLeader();
        List<CompletableFuture<Integer>> retry = new ArrayList<>();
        for (int i : pending) {
          retry.add(
              leader
                  .submit(command.apply(i))
                  .handle(
                      (ok, failure) -> {
                        if (failure == null) {
                          return -1;
                        }
                        Throwable cause =
                            failure instanceof CompletionException ? failure.getCause() : failure;
                        if (cause instanceof RaftException r && r.definitelyNotApplied()) {
                          return i;
                        }
                        throw new IllegalStateException("command " + i + " failed", cause);
                      }));
        }
        pending = new ArrayList<>();
        for (CompletableFuture<Integer> r : retry) {
          int again = r.get(30, TimeUnit.SECONDS);
          if (again >= 0) {
            pending.add(again);
          }
        }
      }
      afterBatch.run();
    }
  }

  /** About 100 bytes, so that byte figures are easy to relate to entry counts. */
  private static byte[] command(String name) {
    return (name + "-" + "x".repeat(100)).substring(0, 100).getBytes(StandardCharsets.UTF_8);
  }

  private void awaitSameJournals() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<String> first = journal(IDS.get(0)).copy();
              for (NodeId id : IDS) {
                assertThat(journal(id).copy()).isEqualTo(first);
              }
            });
  }

  /**
   * The bytes of the files under {@code dir}, which the node may be changing meanwhile (a file that
   * vanishes while being counted counts as empty).
   */
  private static long bytesUnder(Path dir) {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> files = Files.walk(dir)) {
        return files.mapToLong(SnapshotClusterTest::sizeOrZero).sum();
      } catch (IOException | UncheckedIOException e) {
        if (attempt == 10) {
          throw new IllegalStateException("cannot measure " + dir, e);
        }
      }
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException vanished) {
      return 0;
    }
  }

  @Test
  void aFollowerThatMissedCompactedEntriesCatchesUpBySnapshot() throws Exception {
    IDS.forEach(id -> start(id, Journal::new));
    DefaultRaftNode<Long> leader = awaitLeader();
    NodeId lagging = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    write("before-", 50);
    stop(lagging);

    write("while-down-", 2000);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(nodes.values())
                    .as("both running nodes compacted past what the stopped follower has")
                    .allMatch(n -> n.status().raft().firstIndex() > 200));

    start(lagging, Journal::new);
    awaitSameJournals();
    DefaultRaftNode<Long> follower = nodes.get(lagging);
    assertThat(journal(lagging).restores()).as("caught up by snapshot").isPositive();
    assertThat(journal(lagging).copy()).hasSize(2050);
    assertThat(follower.latestSnapshot()).isPresent();
    assertThat(nodes.values().stream().mapToLong(DefaultRaftNode::snapshotTransfersDelivered).sum())
        .isPositive();

    // And it keeps replicating normally afterwards.
    write("after-", 20);
    awaitSameJournals();
    assertThat(journal(lagging).copy())
        .hasSize(2070)
        .contains(new String(command("after-19"), StandardCharsets.UTF_8));
  }

  @Test
  void appliedPayloadBytesAlsoTriggerASnapshot() throws Exception {
    snapshotOptions = SNAPSHOTS.withThresholds(1_000_000, 20 * 1024, 100);
    IDS.forEach(id -> start(id, Journal::new));
    write("bytes-", 150);
    awaitSameJournals();
    for (NodeId id : IDS) {
      assertThat(nodes.get(id).latestSnapshot()).as("%s after 15,000 payload bytes", id).isEmpty();
    }
    write("more-", 100);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (NodeId id : IDS) {
                assertThat(nodes.get(id).latestSnapshot())
                    .as("%s after 25,000 payload bytes", id)
                    .hasValueSatisfying(s -> assertThat(s.meta().lastIndex()).isGreaterThan(200));
              }
            });
  }

  @Test
  void aRestartRestoresTheNewestSnapshotAndReplaysOnlyTheLogAfterIt() throws Exception {
    IDS.forEach(id -> start(id, Journal::new));
    DefaultRaftNode<Long> leader = awaitLeader();
    NodeId restarted = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    write("w-", 300);
    awaitSameJournals();
    SnapshotResult snapshot = nodes.get(restarted).takeSnapshot().get(10, TimeUnit.SECONDS);
    assertThat(snapshot.taken()).isTrue();
    assertThat(nodes.get(restarted).takeSnapshot().get(10, TimeUnit.SECONDS).taken())
        .as("nothing new applied")
        .isFalse();
    write("tail-", 40);
    awaitSameJournals();
    long total = journal(restarted).copy().size();

    stop(restarted);
    start(restarted, Journal::new);
    Journal fresh = journal(restarted);
    awaitSameJournals();
    assertThat(fresh.copy()).hasSize((int) total);
    assertThat(fresh.restores()).isEqualTo(1);
    // Index of the snapshot includes the leader's no-op entries; commands after it were replayed.
    long commandsInSnapshot = total - 40;
    assertThat(snapshot.index()).isGreaterThanOrEqualTo(commandsInSnapshot);
    assertThat(fresh.applyCalls())
        .as("only the commands after the snapshot are applied again")
        .isEqualTo(40);
  }

  /**
   * Log records are 34 bytes of framing plus the payload; a snapshot is taken once {@code
   * entriesThreshold} entries were applied since the last (checked at the end of an apply batch, at
   * most one client batch later), and the log is then compacted to the snapshot minus {@code
   * retainEntries}, in whole segments. So between two compactions the log holds at most {@code
   * threshold + batch + retain} records, plus a partly covered first segment and the segment being
   * written.
   */
  private static final long LOG_BOUND =
      (SNAPSHOTS.entriesThreshold() + BATCH + SNAPSHOTS.retainEntries()) * (34 + 100)
          + 2 * SEGMENT_BYTES;

  /**
   * The registers hold 100 names with 96-byte random values (about 10 KB, which zstd cannot
   * shrink); while a new snapshot is written the previous one is still there.
   */
  private static final long SNAPSHOT_BOUND = 2 * 16 * 1024;

  @Test
  void diskUseStaysBoundedWhileWritingTwentyTimesTheSnapshotThreshold() throws Exception {
    IDS.forEach(id -> start(id, Registers::new));
    awaitLeader();
    int entries = 20 * (int) SNAPSHOTS.entriesThreshold();
    SplittableRandom random = new SplittableRandom(42);
    long[] maxLog = new long[1];
    long[] maxSnapshots = new long[1];
    Runnable measure =
        () -> {
          for (NodeId id : IDS) {
            Path raft = root.resolve(id.value()).resolve(".raft");
            maxLog[0] = Math.max(maxLog[0], bytesUnder(raft.resolve("log")));
            maxSnapshots[0] = Math.max(maxSnapshots[0], bytesUnder(raft.resolve("snapshots")));
          }
        };
    write(entries, i -> register(i % 100, random), measure);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (NodeId id : IDS) {
                assertThat(((Registers) machines.get(id)).copy())
                    .isEqualTo(((Registers) machines.get(IDS.get(0))).copy())
                    .hasSize(100);
              }
            });
    measure.run();
    long written = entries * (34L + 100);
    System.out.printf(
        "%d entries (%d log bytes written): max log %d bytes (bound %d), max snapshots %d bytes"
            + " (bound %d)%n",
        entries, written, maxLog[0], LOG_BOUND, maxSnapshots[0], SNAPSHOT_BOUND);
    for (NodeId id : IDS) {
      assertThat(nodes.get(id).latestSnapshot()).isPresent();
      assertThat(nodes.get(id).status().raft().firstIndex()).isGreaterThan(entries / 2);
    }
    assertThat(maxLog[0]).isLessThanOrEqualTo(LOG_BOUND).isLessThan(written / 4);
    assertThat(maxSnapshots[0]).isLessThanOrEqualTo(SNAPSHOT_BOUND);
  }

  /** {@code rNN=} and 96 random hex digits: 100 bytes. */
  private static byte[] register(int name, SplittableRandom random) {
    StringBuilder value = new StringBuilder(String.format("r%02d=", name));
    while (value.length() < 100) {
      value.append(Long.toHexString(random.nextLong() | Long.MIN_VALUE));
    }
    return value.substring(0, 100).getBytes(StandardCharsets.UTF_8);
  }
}
