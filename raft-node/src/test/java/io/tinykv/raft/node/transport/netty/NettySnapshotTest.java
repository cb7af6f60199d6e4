package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.api.RaftException;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import io.tinykv.raft.protocol.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot travels over the real peer protocol: authenticated TCP links, Kryo-encoded {@code
 * InstallSnapshot} chunks with their checksums, and the bandwidth limit.
 */
class NettySnapshotTest {

  private static final List<NodeId> IDS = List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"));

  /** 64 KiB chunks at 2 MiB/s: a few hundred kilobytes of snapshot take a noticeable while. */
  private static final RuntimeOptions OPTIONS =
      RuntimeOptions.DEFAULTS.withSnapshots(
          SnapshotOptions.DEFAULTS
              .withThresholds(500, 64L << 20, 100)
              .withTransfer(64 << 10, 4, 2L << 20));

  @TempDir Path root;

  private NettyCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFollowerBehindTheCompactedLogCatchesUpBySnapshotOverTcp() throws Exception {
    cluster = new NettyCluster(root, IDS, 11, OPTIONS);
    cluster.startAll();
    DefaultRaftNode<Long> first = cluster.awaitLeader();
    NodeId lagging = IDS.stream().filter(id -> !id.equals(first.id())).findFirst().orElseThrow();
    List<NodeId> running = IDS.stream().filter(id -> !id.equals(lagging)).toList();
    cluster.stop(lagging);

    // Random payloads, so that the snapshot does not compress to a single chunk.
    SplittableRandom random = new SplittableRandom(11);
    for (int batch = 0; batch < 15; batch++) {
      List<byte[]> commands = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] bytes = new byte[60];
        random.nextBytes(bytes);
        commands.add(HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.UTF_8));
      }
      submitAll(commands);
    }
    await()
        .atMost(NettyCluster.WAIT)
        .until(() -> running.stream().allMatch(id -> firstIndex(id) > 200));

    cluster.start(lagging);
    await()
        .atMost(NettyCluster.WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.journal(lagging).copy())
                    .isEqualTo(cluster.journal(running.get(0)).copy())
                    .hasSize(3000));
    assertThat(cluster.journal(lagging).restores()).isPositive();
    assertThat(cluster.node(lagging).latestSnapshot().orElseThrow().storedBytes())
        .as("several chunks")
        .isGreaterThan(2 * (64 << 10));
    assertThat(
            running.stream().mapToLong(id -> cluster.node(id).snapshotTransfersDelivered()).sum())
        .isPositive();
  }

  private long firstIndex(NodeId id) {
    return cluster.node(id).status().raft().firstIndex();
  }

  /**
   * Submits the commands through the leader and waits; a command that definitely did not apply (the
   * leader changed under it, as it may on a loaded machine) goes again to the new leader.
   */
  private void submitAll(List<byte[]> commands) throws Exception {
    List<byte[]> pending = commands;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      assertThat(attempt).as("attempts").isLessThanOrEqualTo(10);
      DefaultRaftNode<Long> leader = cluster.awaitLeader();
      List<CompletableFuture<byte[]>> results = new ArrayList<>();
      for (byte[] command : pending) {
        results.add(
            leader
                .submit(command)
                .handle(
                    (ok, failure) -> {
                      if (failure == null) {
                        return null;
                      }
                      Throwable cause =
                          failure instanceof CompletionException ? failure.getCause() : failure;
                      if (cause instanceof RaftException r && r.definitelyNotApplied()) {
                        return command;
                      }
                      throw new IllegalStateException("a command failed", cause);
                    }));
      }
      pending = new ArrayList<>();
      for (CompletableFuture<byte[]> r : results) {
        byte[] again = r.get(30, TimeUnit.SECONDS);
        if (again != null) {
          pending.add(again);
        }
      }
    }
  }
}
