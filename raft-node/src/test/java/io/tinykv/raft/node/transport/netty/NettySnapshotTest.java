package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot travels over the real peer protocol: authenticated TCP links, Kryo-encoded {@code
 * InstallSnapshot} chunks with their checksums, and the bandwidth limit, while heartbeats keep the
 * cluster's leader in place.
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
    DefaultRaftNode<Long> leader = cluster.awaitLeader();
    NodeId lagging = IDS.stream().filter(id -> !id.equals(leader.id())).findFirst().orElseThrow();
    cluster.stop(lagging);

    // Random payloads, so that the snapshot does not compress to a single chunk.
    SplittableRandom random = new SplittableRandom(11);
    for (int batch = 0; batch < 15; batch++) {
      List<CompletableFuture<Long>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        byte[] bytes = new byte[60];
        random.nextBytes(bytes);
        results.add(
            leader.submit(HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.UTF_8)));
      }
      CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
          .get(30, TimeUnit.SECONDS);
    }
    await().atMost(NettyCluster.WAIT).until(() -> leader.status().raft().firstIndex() > 200);
    long term = leader.status().raft().term();

    cluster.start(lagging);
    await()
        .atMost(NettyCluster.WAIT)
        .untilAsserted(
            () ->
                assertThat(cluster.journal(lagging).copy())
                    .isEqualTo(cluster.journal(leader.id()).copy())
                    .hasSize(3000));
    assertThat(cluster.journal(lagging).restores()).isPositive();
    assertThat(cluster.node(lagging).latestSnapshot().orElseThrow().storedBytes())
        .as("several chunks")
        .isGreaterThan(2 * (64 << 10));
    assertThat(leader.snapshotTransfersDelivered()).isPositive();
    assertThat(leader.status().raft().term()).as("no election during the transfer").isEqualTo(term);
  }
}
