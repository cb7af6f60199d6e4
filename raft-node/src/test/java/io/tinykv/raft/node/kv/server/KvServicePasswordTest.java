package io.tinykv.raft.node.kv.server;

import static io.tinykv.raft.node.kv.server.KvTestCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.server.KvTestCluster.Member;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a client password, clients authenticate, and so does the forwarder at the leader. */
class KvServicePasswordTest {

  @TempDir Path root;

  private KvTestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aFollowerForwardsTheWritesOfAnAuthenticatedClient() throws Exception {
    cluster = new KvTestCluster(root, 15, Optional.of("s3cret"));
    Member leader = cluster.awaitLeader();
    Member follower = cluster.followersOf(leader).get(0);
    await().atMost(WAIT).until(() -> follower.node().status().raft().leader().isPresent());

    ClientSession session = follower.service().openSession();
    assertThat(follower.exec(session, "SET", "k", "v"))
        .isEqualTo(Reply.error("NOAUTH Authentication required."));
    assertThat(follower.exec(session, "AUTH", "s3cret")).isEqualTo(Reply.OK);
    assertThat(follower.exec(session, "SET", "k", "v")).isEqualTo(Reply.OK);

    ClientSession atLeader = leader.service().openSession();
    assertThat(leader.exec(atLeader, "AUTH", "s3cret")).isEqualTo(Reply.OK);
    assertThat(leader.exec(atLeader, "GET", "k")).isEqualTo(Reply.bulk("v"));
  }
}
