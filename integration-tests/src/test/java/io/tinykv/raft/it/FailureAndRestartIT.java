package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.tinykv.raft.it.AcknowledgedWrites.BackgroundWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A three-node cluster losing its leader to {@code kill -9}, and nodes restarted from their data
 * directories.
 */
class FailureAndRestartIT {

  private static final Duration WRITES_RESUME_TIMEOUT = Duration.ofSeconds(30);

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  private final AcknowledgedWrites writes = new AcknowledgedWrites();

  @Test
  void killedLeaderIsReplacedAndNoAcknowledgedWriteIsLost() {
    cluster.start(3);
    NodeProcess oldLeader = cluster.awaitLeader();
    assertThat(writes.writeEachOnce("before", 200, cluster.live()))
        .as("writes a healthy cluster acknowledges")
        .isEqualTo(200);
    List<NodeProcess> survivors = cluster.liveExcept(oldLeader);

    // Writes through the survivors keep coming while the leader dies, so some are in flight then.
    try (BackgroundWriter during = writes.startWriting("during", survivors)) {
      awaitMoreAcknowledged(during, 20);
      oldLeader.kill();
      NodeProcess newLeader = cluster.awaitLeader();
      assertThat(newLeader).isNotSameAs(oldLeader);
      awaitMoreAcknowledged(during, 100);
    }

    for (NodeProcess survivor : survivors) {
      writes.assertAllReadableOn(survivor);
    }
  }

  @Test
  void restartedOldLeaderCatchesUp() {
    cluster.start(3);
    NodeProcess oldLeader = cluster.awaitLeader();
    writes.writeAll("before", 100, cluster.live());

    oldLeader.kill();
    List<NodeProcess> survivors = cluster.liveExcept(oldLeader);
    cluster.awaitLeader();
    writes.writeAll("while-down", 300, survivors);
    oldLeader.restart();

    cluster.awaitSameState();
    assertThat(cluster.live()).hasSize(3);
    NodeProcess leader = cluster.awaitLeader();
    assertThat(oldLeader.status()).containsEntry("leader", leader.id());
    writes.assertAllReadableOn(oldLeader);
  }

  @Test
  void nodeRestartedWithItsDataDirectoryAloneRejoins() {
    cluster.start(3);
    NodeProcess follower = cluster.liveExcept(cluster.awaitLeader()).get(0);
    writes.writeAll("before", 50, cluster.live());

    follower.stop();
    writes.writeAll("while-down", 50, cluster.live());
    follower.restart();

    await(follower + ", restarted with --root alone, answering on its own port (see its log)")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> follower.status().get("node_id"), equalTo(follower.id()));
    cluster.awaitSameState();
    writes.assertAllReadableOn(follower);
  }

  private static void awaitMoreAcknowledged(BackgroundWriter writer, int more) {
    int target = writer.acknowledged() + more;
    await(more + " more acknowledged writes")
        .atMost(WRITES_RESUME_TIMEOUT)
        .until(() -> writer.acknowledged() >= target);
  }
}
