package io.tinykv.raft.node.kv.server;

import static io.tinykv.raft.node.kv.server.KvServiceClusterTest.message;
import static io.tinykv.raft.node.kv.server.KvTestCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.node.kv.server.KvTestCluster.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errors a client sees from a node cut off from the rest of the cluster. */
class KvServiceIsolationTest {

  @TempDir Path root;

  private KvTestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void anIsolatedFollowerAnswersNoLeaderOnceItLostTheLeader() throws Exception {
    cluster = new KvTestCluster(root, 15, Optional.empty());
    Member leader = cluster.awaitLeader();
    Member follower = cluster.followersOf(leader).get(0);
    assertThat(leader.exec("SET", "k", "v")).isEqualTo(Reply.OK);
    cluster.network.isolate(follower.id());
    await().atMost(WAIT).until(() -> follower.node().status().raft().leader().isEmpty());

    for (String[] request :
        new String[][] {{"SET", "k", "w"}, {"GET", "k"}, {"GET_MASTER"}, {"SUBMIT", "DEL", "k"}}) {
      assertThat(message(follower.exec(request)))
          .as(String.join(" ", request))
          .startsWith("NOLEADER no leader is known to node " + follower.id())
          .contains("not applied, retry");
    }
    assertThat(leader.exec("GET", "k")).isEqualTo(Reply.bulk("v"));
  }

  /**
   * A leader cut off from the others refuses writes with -NOQUORUM once it has not heard from a
   * majority for an election timeout, until its next check-quorum step-down. That window lasts
   * anywhere below one election timeout (1 s here), so the test probes every few milliseconds and,
   * in the rare case it missed the window, isolates the next leader.
   */
  @Test
  void anIsolatedLeaderRefusesWritesWithNoQuorum() throws Exception {
    cluster = new KvTestCluster(root, 100, Optional.empty());
    Optional<String> noQuorum = Optional.empty();
    for (int round = 0; round < 3 && noQuorum.isEmpty(); round++) {
      cluster.network.heal();
      Member leader = cluster.awaitLeader();
      cluster.network.isolate(leader.id());
      noQuorum = probeUntilRefused(leader);
    }
    assertThat(noQuorum)
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .startsWith("NOQUORUM the leader")
                    .contains("cannot reach a majority", "not applied"));
  }

  /** Sends writes until one is refused at once; the accepted ones never commit and are dropped. */
  private static Optional<String> probeUntilRefused(Member leader) throws Exception {
    ClientSession session = leader.service().openSession();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      CompletableFuture<Response> reply =
          leader.service().serve(RespRequest.of("SET", "probe", "x"), session);
      try {
        String refused = message(reply.get(5, TimeUnit.MILLISECONDS).reply());
        if (refused.startsWith("NOQUORUM")) {
          return Optional.of(refused);
        }
        assertThat(refused).startsWith("NOLEADER");
        return Optional.empty(); // stepped down before a probe fell in the window
      } catch (TimeoutException accepted) {
        // Appended while the leader still counted its quorum as recent; it will never commit.
      }
    }
    return Optional.empty();
  }
}
