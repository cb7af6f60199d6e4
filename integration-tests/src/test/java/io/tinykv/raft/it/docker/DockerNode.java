package io.tinykv.raft.it.docker;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One TinyKV node in a container of the test's network, at a fixed address ({@code ip:8001}, which
 * is also its Raft id). Its data ({@code /data}, with the node's log in {@code
 * /data/.raft/raft.log}) lives in the container, so a killed node restarted with {@code docker
 * start} comes back from what it had made durable, with the same command line (the stored
 * membership wins over {@code --initial-cluster}).
 *
 * <p>The fault methods are called by one test thread (the {@link Nemesis}); clients may be opened
 * from any thread.
 */
final class DockerNode {

  static final int PORT = 8001;

  /** The client port and the host's admin commands answer fast, or the node counts as down. */
  private static final int ADMIN_TIMEOUT_MILLIS = 1_000;

  private final DockerClient docker;
  private final String name;
  private final String containerId;
  private final String ip;
  private final String networkId;

  private volatile boolean killed;
  private volatile boolean paused;
  private volatile boolean disconnected;

  DockerNode(DockerClient docker, String name, String containerId, String ip, String networkId) {
    this.docker = docker;
    this.name = name;
    this.containerId = containerId;
    this.ip = ip;
    this.networkId = networkId;
  }

  /** n1, n2, ... */
  String name() {
    return name;
  }

  String ip() {
    return ip;
  }

  /** The node's Raft id, its address. */
  String id() {
    return ip + ":" + PORT;
  }

  String containerId() {
    return containerId;
  }

  /** Not killed, paused or disconnected. */
  boolean healthy() {
    return !killed && !paused && !disconnected;
  }

  boolean killed() {
    return killed;
  }

  boolean paused() {
    return paused;
  }

  boolean disconnected() {
    return disconnected;
  }

  /** SIGKILL: nothing is flushed; the container stops at once. */
  void kill() {
    if (paused) {
      resume();
    }
    docker.killContainerCmd(containerId).withSignal("SIGKILL").exec();
    killed = true;
    awaitRunning(false);
  }

  /** Starts a killed node again (docker start: same container, same data, same address). */
  void restart() {
    docker.startContainerCmd(containerId).exec();
    killed = false;
    awaitRunning(true);
  }

  /** docker pause: every process of the container is frozen (cgroup freezer). */
  void pause() {
    docker.pauseContainerCmd(containerId).exec();
    paused = true;
  }

  void resume() {
    docker.unpauseContainerCmd(containerId).exec();
    paused = false;
  }

  /** Removes the container from the network: no peer and no client reaches it, nor it them. */
  void disconnect() {
    docker
        .disconnectFromNetworkCmd()
        .withNetworkId(networkId)
        .withContainerId(containerId)
        .withForce(true)
        .exec();
    disconnected = true;
  }

  /** Back on the network at its address. */
  void reconnect() {
    docker
        .connectToNetworkCmd()
        .withNetworkId(networkId)
        .withContainerId(containerId)
        .withContainerNetwork(
            new ContainerNetwork().withIpamConfig(new ContainerNetwork.Ipam().withIpv4Address(ip)))
        .exec();
    disconnected = false;
  }

  private void awaitRunning(boolean running) {
    await(name + (running ? " running" : " stopped"))
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                Boolean.TRUE.equals(
                        docker.inspectContainerCmd(containerId).exec().getState().getRunning())
                    == running);
  }

  /** A new connected client with the given socket timeout; the caller closes it. */
  Jedis client(int timeoutMillis) {
    Connection connection =
        new Connection(
            new HostAndPort(ip, PORT),
            DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.min(timeoutMillis, 1_000))
                .socketTimeoutMillis(timeoutMillis)
                .build());
    try {
      connection.connect();
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    return new Jedis(connection);
  }

  /** The leader's id as this node knows it ({@code GET_MASTER}); empty while it knows none. */
  Optional<String> leaderId() {
    try (Jedis jedis = client(ADMIN_TIMEOUT_MILLIS)) {
      Object reply = jedis.sendCommand(Admin.GET_MASTER);
      if (reply instanceof List<?> idAndAddress && !idAndAddress.isEmpty()) {
        Object first = idAndAddress.get(0);
        return first == null ? Optional.empty() : Optional.of(asString(first));
      }
      return Optional.empty();
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).startsWith("NOLEADER")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The {@code field:value} lines of {@code GET_STATUS} (role, term, applied_index, ...). */
  Map<String, String> status() {
    String report;
    try (Jedis jedis = client(ADMIN_TIMEOUT_MILLIS)) {
      report = asString(jedis.sendCommand(Admin.GET_STATUS));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : report.split("\r?\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /**
   * Copies the node's log ({@code /data/.raft/raft.log}) and the container's console output into
   * {@code dir} as {@code <name>.raft.log} and {@code <name>.console.log}.
   */
  void saveLogs(Path dir) throws IOException {
    try (InputStream archive =
            docker.copyArchiveFromContainerCmd(containerId, "/data/.raft/raft.log").exec();
        TarArchiveInputStream tar = new TarArchiveInputStream(archive)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.isFile()) {
          Files.copy(tar, dir.resolve(name + ".raft.log"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (RuntimeException e) {
      Files.writeString(
          dir.resolve(name + ".raft.log"),
          "could not copy /data/.raft/raft.log: " + e + System.lineSeparator());
    }
    StringBuilder console = new StringBuilder();
    try {
      docker
          .logContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withTimestamps(true)
          .withTailAll()
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  console.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      console.append("could not read the container's output: ").append(e);
    }
    Files.writeString(dir.resolve(name + ".console.log"), console, StandardCharsets.UTF_8);
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String asString(Object reply) {
    return reply instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  @Override
  public String toString() {
    return name + "(" + ip + ")";
  }

  /**
   * Sends a cluster command ({@code REMOVE_NODE}, {@code ADD_NODE}, ...) and returns its status
   * reply; an error reply throws {@link JedisDataException}.
   */
  String admin(Admin command, String... args) {
    try (Jedis jedis = client(10_000)) {
      return asString(jedis.sendCommand(command, args));
    }
  }

  /** TinyKV's cluster commands, which Jedis does not know by name. */
  enum Admin implements ProtocolCommand {
    GET_MASTER,
    GET_STATUS,
    REMOVE_NODE;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }
}
