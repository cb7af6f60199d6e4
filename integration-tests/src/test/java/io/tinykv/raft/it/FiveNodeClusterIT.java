package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** A five-node cluster keeps its majority, and so its service, after two of its nodes die. */
class FiveNodeClusterIT {

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  private final AcknowledgedWrites writes = new AcknowledgedWrites();

  @Test
  void survivesTheKillOfTheLeaderAndOneFollower() {
    cluster.start(5);
    NodeProcess leader = cluster.awaitLeader();
    writes.writeAll("before", 100, cluster.live());

    leader.kill();
    cluster.liveExcept(leader).get(0).kill();
    List<NodeProcess> survivors = cluster.live();
    NodeProcess newLeader = cluster.awaitLeader();

    assertThat(survivors).hasSize(3).contains(newLeader);
    writes.writeAll("after", 100, survivors);
    for (NodeProcess survivor : survivors) {
      writes.assertAllReadableOn(survivor);
    }
    assertReadsSeeTheLatestWrite(survivors);
  }

  /**
   * Linearizable reads: a write acknowledged through one node is read at once through another, for
   * each ordered pair of nodes.
   */
  private static void assertReadsSeeTheLatestWrite(List<NodeProcess> nodes) {
    for (NodeProcess writer : nodes) {
      for (NodeProcess reader : nodes) {
        String value = writer.name() + "-then-" + reader.name();
        try (Jedis writing = writer.client();
            Jedis reading = reader.client()) {
          assertThat(writing.set("latest", value)).isEqualTo("OK");
          assertThat(reading.get("latest"))
              .as("%s reads the write just acknowledged through %s", reader, writer)
              .isEqualTo(value);
        }
      }
    }
  }
}
