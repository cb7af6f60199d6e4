package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** A healthy three-node cluster of real processes, used through a Redis client library. */
class ThreeNodeClusterIT {

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  @Test
  void electsOneLeaderThatEveryNodeKnows() {
    cluster.start(3);

    NodeProcess leader = cluster.awaitLeader();

    for (NodeProcess node : cluster.nodes()) {
      assertThat(node.status())
          .as("GET_STATUS of %s", node)
          .containsEntry("leader", leader.id())
          .containsEntry("role", node == leader ? "leader" : "follower");
    }
  }

  @Test
  void writesThroughEveryNodeAreReadFromEveryNode() {
    List<NodeProcess> nodes = cluster.start(3);
    cluster.awaitLeader();

    for (NodeProcess writer : nodes) {
      try (Jedis jedis = writer.client()) {
        assertThat(jedis.set("written-through-" + writer.name(), writer.id())).isEqualTo("OK");
      }
    }

    for (NodeProcess reader : nodes) {
      try (Jedis jedis = reader.client()) {
        for (NodeProcess writer : nodes) {
          assertThat(jedis.get("written-through-" + writer.name()))
              .as("%s reads the write made through %s", reader, writer)
              .isEqualTo(writer.id());
        }
      }
    }
  }

  @Test
  void concurrentIncrementsThroughEveryNodeAllCount() throws Exception {
    int perNode = 100;
    List<NodeProcess> nodes = cluster.start(3);
    cluster.awaitLeader();

    List<Callable<Void>> incrementers = new ArrayList<>();
    for (NodeProcess node : nodes) {
      incrementers.add(() -> incrementTimes(node, perNode));
    }
    ExecutorService pool = Executors.newFixedThreadPool(nodes.size());
    try {
      for (Future<Void> incrementer : pool.invokeAll(incrementers, 60, TimeUnit.SECONDS)) {
        incrementer.get(); // rethrows the failure of any INCR
      }
    } finally {
      pool.shutdownNow();
    }

    String total = String.valueOf(perNode * nodes.size());
    for (NodeProcess node : nodes) {
      try (Jedis jedis = node.client()) {
        assertThat(jedis.get("counter")).as("counter read on %s", node).isEqualTo(total);
      }
    }
  }

  /** INCRs {@code counter} {@code times} times through {@code node}; each must succeed. */
  private static Void incrementTimes(NodeProcess node, int times) {
    try (Jedis jedis = node.client()) {
      long previous = 0;
      for (int i = 0; i < times; i++) {
        long value = jedis.incr("counter");
        assertThat(value).as("INCR through %s after %d", node, previous).isGreaterThan(previous);
        previous = value;
      }
    }
    return null;
  }
}
