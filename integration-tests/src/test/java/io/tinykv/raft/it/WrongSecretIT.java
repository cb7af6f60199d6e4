package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** Peers prove they know the cluster secret: a member started with another one is shut out. */
class WrongSecretIT {

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  private final AcknowledgedWrites writes = new AcknowledgedWrites();

  @Test
  void memberWithWrongSecretIsRefusedAndTheOthersServeWithoutIt() {
    List<NodeProcess> nodes =
        cluster.start(List.of(ClusterFixture.SECRET, ClusterFixture.SECRET, "not-the-secret"));
    List<NodeProcess> trusted = nodes.subList(0, 2);
    NodeProcess intruder = nodes.get(2);

    cluster.awaitLeader(trusted);
    writes.writeAll("without-intruder", 50, trusted);
    for (NodeProcess node : trusted) {
      writes.assertAllReadableOn(node);
      await(node + " logs that it refused " + intruder)
          .atMost(Duration.ofSeconds(10))
          .until(() -> logMentionsRefusal(node, intruder));
    }

    await(intruder + " stays without a leader and without the cluster's writes")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(5))
        .until(() -> intruder.leaderId().isEmpty() && "0".equals(applied(intruder)));
    try (Jedis jedis = intruder.client()) {
      assertThatThrownBy(() -> jedis.set("through-intruder", "x"))
          .isInstanceOf(JedisDataException.class)
          .hasMessageStartingWith("NOLEADER");
    }
  }

  private static String applied(NodeProcess node) {
    return node.status().get("applied_index");
  }

  private static boolean logMentionsRefusal(NodeProcess node, NodeProcess refused)
      throws IOException {
    return Files.readAllLines(node.raftLog(), StandardCharsets.UTF_8).stream()
        .anyMatch(line -> line.contains(refused.id()) && line.contains("cluster secret"));
  }
}
