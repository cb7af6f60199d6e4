package io.tinykv.raft.node.kv.server;

import static io.tinykv.raft.node.kv.server.KvTestCluster.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.node.kv.server.KvTestCluster.Member;
import io.tinykv.raft.protocol.NodeAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KvService} on a three-node cluster: data commands through the leader and through followers
 * (whose writes are forwarded over TCP), the seed's cluster commands, and the digests replicas
 * compare.
 */
class KvServiceClusterTest {

  @TempDir Path root;

  private KvTestCluster cluster;
  private Member leader;
  private List<Member> followers;

  @BeforeEach
  void start() throws Exception {
    cluster = new KvTestCluster(root, 15, Optional.empty());
    leader = cluster.awaitLeader();
    followers = cluster.followersOf(leader);
    // Followers forward only once they know the leader.
    await()
        .atMost(WAIT)
        .until(
            () -> followers.stream().allMatch(f -> f.node().status().raft().leader().isPresent()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static Reply bulk(String s) {
    return Reply.bulk(s);
  }

  @Test
  void dataCommandsWorkThroughTheLeaderAndEveryFollower() {
    for (Member m : cluster.members.values()) {
      String k = "key-" + m.id();
      assertThat(m.exec("SET", k, "v1")).isEqualTo(Reply.OK);
      assertThat(m.exec("GET", k)).isEqualTo(bulk("v1"));
      assertThat(m.exec("SET", k, "v2", "NX")).isEqualTo(Reply.NULL_BULK);
      assertThat(m.exec("INCR", "n-" + m.id())).isEqualTo(Reply.integer(1));
      assertThat(m.exec("INCRBY", "n-" + m.id(), "41")).isEqualTo(Reply.integer(42));
      assertThat(m.exec("DECR", "n-" + m.id())).isEqualTo(Reply.integer(41));
      assertThat(m.exec("INCR", k)).isEqualTo(Reply.err("value is not an integer or out of range"));
      assertThat(m.exec("MSET", "x-" + m.id(), "1", "y-" + m.id(), "2")).isEqualTo(Reply.OK);
      assertThat(m.exec("MGET", "x-" + m.id(), "nope", "y-" + m.id()))
          .isEqualTo(Reply.array(bulk("1"), Reply.NULL_BULK, bulk("2")));
      assertThat(m.exec("EXISTS", "x-" + m.id(), "y-" + m.id(), "nope"))
          .isEqualTo(Reply.integer(2));
      assertThat(m.exec("DEL", "x-" + m.id(), "nope")).isEqualTo(Reply.integer(1));
      assertThat(m.exec("EXISTS", "x-" + m.id())).isEqualTo(Reply.integer(0));
    }
    // Linearizable reads: every write acknowledged by any node is visible on every node.
    for (Member reader : cluster.members.values()) {
      for (Member writer : cluster.members.values()) {
        assertThat(reader.exec("GET", "key-" + writer.id())).isEqualTo(bulk("v1"));
        assertThat(reader.exec("GET", "n-" + writer.id())).isEqualTo(bulk("41"));
      }
      assertThat(reader.exec("DBSIZE")).isEqualTo(Reply.integer(9));
    }
  }

  @Test
  void concurrentWritesForwardedByAFollowerAreAppliedExactlyOnce() throws Exception {
    Member follower = followers.get(0);
    List<CompletableFuture<Response>> replies = new ArrayList<>();
    ClientSession session = follower.service().openSession();
    for (int i = 0; i < 200; i++) {
      replies.add(follower.service().serve(RespRequest.of("INCR", "counter"), session));
    }
    List<Long> results = new ArrayList<>();
    for (CompletableFuture<Response> r : replies) {
      results.add(((Reply.IntegerReply) r.get(20, TimeUnit.SECONDS).reply()).value());
    }
    assertThat(results).doesNotHaveDuplicates().hasSize(200).contains(1L, 200L);
    for (Member m : cluster.members.values()) {
      assertThat(m.exec("GET", "counter")).isEqualTo(bulk("200"));
    }
  }

  @Test
  void aRequestThatArrivedForwardedIsNotForwardedAgain() {
    Member follower = followers.get(0);
    ClientSession session = follower.service().openSession();
    assertThat(follower.exec(session, "CLIENT", "SETNAME", LeaderForwarder.SESSION_NAME))
        .isEqualTo(Reply.OK);
    Reply reply = follower.exec(session, "SET", "k", "v");
    assertThat(message(reply))
        .startsWith("NOLEADER node " + follower.id() + " is not the leader")
        .contains("does not forward", "the leader is " + leader.id(), "not applied");
    assertThat(leader.exec("EXISTS", "k")).isEqualTo(Reply.integer(0));
  }

  @Test
  void submitRepliesTheIndexAtOnceAndResultTheAppliedResult() {
    Reply index = leader.exec("SUBMIT", "INCRBY", "s", "5");
    assertThat(index).isInstanceOf(Reply.IntegerReply.class);
    long i = ((Reply.IntegerReply) index).value();
    await().atMost(WAIT).until(() -> !message(leader.exec("RESULT", "" + i)).startsWith("ERR not"));
    assertThat(leader.exec("RESULT", "" + i)).isEqualTo(Reply.integer(5));

    // Through a follower: SUBMIT is forwarded, and so is RESULT of an index it does not know.
    Member follower = followers.get(1);
    long j = ((Reply.IntegerReply) follower.exec("SUBMIT", "INCRBY", "s", "2")).value();
    assertThat(j).isGreaterThan(i);
    await().atMost(WAIT).until(() -> follower.exec("RESULT", "" + j).equals(Reply.integer(7)));

    assertThat(message(leader.exec("RESULT", "999999")))
        .startsWith("ERR no SUBMIT result for index 999999 on node " + leader.id());
    assertThat(message(leader.exec("RESULT", "x"))).contains("positive integer");
    assertThat(message(leader.exec("SUBMIT", "GET", "s"))).contains("SUBMIT takes a write");
  }

  @Test
  void replicasShowTheSameDigestAtTheSameAppliedIndex() {
    for (int i = 0; i < 50; i++) {
      Member m = cluster.members.values().stream().skip(i % 3).findFirst().orElseThrow();
      m.exec("SET", "k" + i, "v" + i);
    }
    leader.exec("DEL", "k7");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<String> states = new ArrayList<>();
              for (Member m : cluster.members.values()) {
                String status = ((Reply.BulkString) m.exec("GET_STATUS")).utf8();
                states.add(
                    field(status, "state_applied_index") + "/" + field(status, "state_digest"));
              }
              assertThat(states).hasSize(3).allMatch(s -> s.equals(states.get(0)));
              assertThat(field(((Reply.BulkString) leader.exec("GET_STATUS")).utf8(), "state_keys"))
                  .isEqualTo("49");
            });
    String status = ((Reply.BulkString) leader.exec("GET_STATUS")).utf8();
    assertThat(field(status, "role")).isEqualTo("leader");
    assertThat(field(status, "leader")).isEqualTo(leader.id().value());
    assertThat(field(status, "voters")).isEqualTo("a,b,c");
    assertThat(Double.parseDouble(field(status, "entries_per_fsync"))).isPositive();
    assertThat(status).contains("member:id=" + followers.get(0).id() + ",address=127.0.0.1:");
    assertThat(status).doesNotContain("match=unknown");
  }

  @Test
  void clusterCommandsDescribeTheCluster() {
    for (Member m : cluster.members.values()) {
      assertThat(m.exec("GET_MASTER"))
          .isEqualTo(
              Reply.array(
                  bulk(leader.id().value()),
                  bulk(cluster.address(leader.id()).orElseThrow().toString())));
    }
    List<String> nodes = lines(leader.exec("LIST_NODES"));
    assertThat(nodes).hasSize(3);
    assertThat(nodes.get(0)).startsWith("id=a address=127.0.0.1:").contains("role=voter");
    assertThat(nodes).filteredOn(n -> n.contains("leader=yes")).hasSize(1);
    assertThat(nodes)
        .filteredOn(n -> !n.contains("self=yes"))
        .allMatch(n -> n.matches(".* match=\\d+ last_contact_ms=\\d+ reachable=yes"));
    assertThat(lines(followers.get(0).exec("LIST_NODES")))
        .allMatch(n -> n.contains("match=unknown"));
    assertThat(message(leader.exec("ADD_NODE", "no-port")))
        .startsWith("ERR ADD_NODE takes host:port and an optional node id: ");
    assertThat(message(followers.get(0).exec("REMOVE_NODE", "zz")))
        .as("forwarded to the leader, which refuses it")
        .isEqualTo("ERR not applied: cannot remove zz: zz is not a member; it is safe to retry");
    assertThat(leader.exec("SNAPSHOT"))
        .isInstanceOfSatisfying(
            Reply.SimpleString.class,
            ok ->
                assertThat(ok.text())
                    .matches("OK snapshot at index \\d+ term \\d+ \\(\\d+ bytes\\)"));
    assertThat(leader.exec("SNAPSHOT"))
        .as("nothing applied since")
        .isInstanceOfSatisfying(
            Reply.SimpleString.class, ok -> assertThat(ok.text()).endsWith(", already taken)"));
  }

  @Test
  void transferLeaderHandsLeadershipToTheTarget() {
    Member target = followers.get(0);
    // Sent to the other follower, which forwards it to the leader.
    assertThat(followers.get(1).exec("TRANSFER_LEADER", target.id().value())).isEqualTo(Reply.OK);
    await().atMost(WAIT).until(() -> target.role() == Role.LEADER);
    assertThat(message(target.exec("TRANSFER_LEADER", "zz"))).contains("zz is not a voter");
  }

  @Test
  void aClientOnTheTcpPortOfAFollowerIsAnsweredInOrder() throws Exception {
    Member follower = followers.get(0);
    NodeAddress address = cluster.address(follower.id()).orElseThrow();
    try (Socket socket = new Socket(address.host(), address.port())) {
      socket.setSoTimeout(20_000);
      String requests =
          "SET key value\r\nINCR n\r\nGET key\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\nQUIT\r\n";
      socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
      String expected = "+OK\r\n:1\r\n$5\r\nvalue\r\n:2\r\n+OK\r\n";
      byte[] received = socket.getInputStream().readNBytes(expected.length());
      assertThat(new String(received, StandardCharsets.US_ASCII)).isEqualTo(expected);
      assertThat(socket.getInputStream().read()).as("closed after QUIT").isEqualTo(-1);
    }
  }

  static String message(Reply reply) {
    return reply instanceof Reply.ErrorReply e ? e.message() : reply.toString();
  }

  static String field(String info, String name) {
    return Arrays.stream(info.split("\r\n"))
        .filter(l -> l.startsWith(name + ":"))
        .map(l -> l.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + info));
  }

  static List<String> lines(Reply array) {
    return ((Reply.ArrayReply) array)
        .items().stream().map(r -> ((Reply.BulkString) r).utf8()).toList();
  }
}
