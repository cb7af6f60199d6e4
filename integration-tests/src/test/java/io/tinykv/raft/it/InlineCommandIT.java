package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * Inline commands over a raw socket, as {@code echo "SET key value" | nc host port} sends them, to
 * the leader and to the followers (which forward the write).
 */
class InlineCommandIT {

  private static final int READ_TIMEOUT_MILLIS = 10_000;

  @RegisterExtension final ClusterFixture cluster = new ClusterFixture();

  @Test
  void inlineSetIsAnsweredOk() throws IOException {
    setInlineThroughEveryNode(false);
  }

  /**
   * {@code nc -N}, or a script that closes its end once it has sent the command: the server must
   * still answer the half-closed connection, as redis-server does.
   */
  @Test
  void halfClosedClientStillGetsItsReply() throws IOException {
    setInlineThroughEveryNode(true);
  }

  private void setInlineThroughEveryNode(boolean shutdownOutput) throws IOException {
    List<NodeProcess> nodes = cluster.start(3);
    cluster.awaitLeader();

    for (NodeProcess node : nodes) {
      String key = "inline-" + node.name();
      assertThat(inlineRequest(node, "SET " + key + " value\n", shutdownOutput))
          .as("reply of %s (client output shut down: %s)", node, shutdownOutput)
          .isEqualTo("+OK");
      try (Jedis jedis = nodes.get(0).client()) {
        assertThat(jedis.get(key)).as("%s read on %s", key, nodes.get(0)).isEqualTo("value");
      }
    }
  }

  /**
   * Sends {@code request} on a new connection, half-closing it first if asked, and returns the
   * first reply line; null if the server closed the connection without replying.
   */
  private static String inlineRequest(NodeProcess node, String request, boolean shutdownOutput)
      throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (shutdownOutput) {
        socket.shutdownOutput();
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      return in.readLine();
    }
  }
}
