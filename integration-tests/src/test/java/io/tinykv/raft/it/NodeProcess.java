package io.tinykv.raft.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * One TinyKV server running as a separate JVM from the server jar, on 127.0.0.1 and its own port,
 * with its own data directory. Its console output goes to {@code <logs>/<name>.log}, appended
 * across restarts, each start preceded by the command line that launched it.
 *
 * <p>Not thread-safe: one test thread starts, kills and restarts it; any thread may open clients.
 */
final class NodeProcess {

  /**
   * Nodes listen on the IPv4 loopback address, which is also what {@link
   * java.net.InetAddress#getLoopbackAddress()} gives the raw sockets of the tests.
   */
  static final String HOST = "127.0.0.1";

  /** Short timeouts keep elections fast: a tick of 10 ms, elections after 150 to 300 ms. */
  private static final List<String> TIMEOUTS =
      List.of(
          "--tick-ms",
          "10",
          "--election-ticks",
          "15",
          "--heartbeat-ticks",
          "3",
          // A short log tail below snapshots, so that a SNAPSHOT in a test compacts the log and
          // a node that needs older entries must catch up from a snapshot.
          "--snapshot-retain",
          "50");

  /** Small heaps and the client compiler only: up to five of these share two cores. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private static final JedisClientConfig CLIENT_CONFIG =
      DefaultJedisClientConfig.builder()
          .connectionTimeoutMillis(2_000)
          // Generous: a write is answered after commit, which may have to wait for an election.
          .socketTimeoutMillis(15_000)
          .build();

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Node processes this JVM started, killed when it exits: the fixture stops them after each test,
   * this is the safety net for a test JVM that is itself interrupted.
   */
  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-tinykv-nodes"));
  }

  private final String name;
  private final int port;
  private final Path root;
  private final String secret;
  private final Path jar;
  private final Path consoleLog;
  private final OptionalInt jmxPort;
  private Process process;

  NodeProcess(String name, int port, Path root, String secret, Path jar, Path logDir) {
    this(name, port, root, secret, jar, logDir, OptionalInt.empty());
  }

  /** A node that, if {@code jmxPort} is present, serves remote JMX there ({@code --jmx-port}). */
  NodeProcess(
      String name, int port, Path root, String secret, Path jar, Path logDir, OptionalInt jmxPort) {
    this.name = name;
    this.port = port;
    this.root = root;
    this.secret = secret;
    this.jar = jar;
    this.consoleLog = logDir.resolve(name + ".log");
    this.jmxPort = jmxPort;
  }

  /** The port of the node's remote JMX connector, if it has one. */
  OptionalInt jmxPort() {
    return jmxPort;
  }

  /** The node's Raft id: the server's default, host:port. */
  String id() {
    return HOST + ":" + port;
  }

  int port() {
    return port;
  }

  String name() {
    return name;
  }

  Path raftLog() {
    return root.resolve(".raft").resolve("raft.log");
  }

  /** First start of a brand-new node: {@code startMode} is e.g. {@code --initial-cluster ...}. */
  void start(List<String> startMode) {
    List<String> args = new ArrayList<>(List.of("--host", HOST, "--port", String.valueOf(port)));
    args.addAll(startMode);
    launch(args);
  }

  /**
   * Restarts a stopped or killed node as a user would: {@code --root} (and the secret) alone, no
   * address, no start mode; its address, membership and term come from disk. (The timeouts are
   * passed as on every start.)
   */
  void restart() {
    requireStopped();
    launch(List.of());
  }

  private void requireStopped() {
    if (isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
  }

  private void launch(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-jar", jar.toString(), "--root", root.toString()));
    command.addAll(args);
    command.addAll(TIMEOUTS);
    jmxPort.ifPresent(p -> command.addAll(List.of("--jmx-port", String.valueOf(p))));
    try {
      Files.createDirectories(root);
      appendToConsoleLog(String.join(" ", command));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()));
      // The secret travels in the environment (the server's default), not on the command line.
      builder.environment().put("TINYKV_SECRET", secret);
      process = builder.start();
      STARTED.add(process);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + command, e);
    }
  }

  /** A line of the fixture's own, marked with ### and the time, between the server's lines. */
  private void appendToConsoleLog(String line) {
    try {
      Files.writeString(
          consoleLog,
          "### " + Instant.now() + " " + line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits up to {@code wait} for the process to exit by itself; its exit code, if it did. */
  OptionalInt awaitExitCode(Duration wait) throws InterruptedException {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.empty();
    }
    STARTED.remove(process);
    return OptionalInt.of(process.exitValue());
  }

  /** Deletes the stopped node's data directory, as a lost disk would. */
  void wipe() throws IOException {
    requireStopped();
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The node's console output so far (its server log lines and the fixture's ### lines). */
  String consoleOutput() throws IOException {
    return Files.readString(consoleLog, StandardCharsets.UTF_8);
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no flush; whatever was not fsynced is lost. */
  void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit(process);
    }
  }

  /**
   * SIGTERM: the server's shutdown hook closes it. One that has not exited 10 s later is killed,
   * and that is noted on stderr and in its console log.
   */
  void stop() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        STARTED.remove(process);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    String note = name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM; killing it";
    System.err.println(note);
    appendToConsoleLog(note);
    kill();
  }

  private void awaitExit(Process dying) {
    try {
      if (!dying.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(name + " (pid " + dying.pid() + ") did not exit");
      }
      STARTED.remove(dying);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name + " to exit", e);
    }
  }

  /** A new client connection; the caller closes it. */
  Jedis client() {
    return new Jedis(HOST, port, CLIENT_CONFIG);
  }

  /** The leader's id as this node knows it ({@code GET_MASTER}); empty while it knows none. */
  Optional<String> leaderId() {
    try (Jedis jedis = client()) {
      Object reply = jedis.sendCommand(ClusterCommand.GET_MASTER);
      if (reply instanceof List<?> idAndAddress && !idAndAddress.isEmpty()) {
        return Optional.of(asString(idAndAddress.get(0)));
      }
      return Optional.empty();
    } catch (JedisDataException e) {
      if (String.valueOf(e.getMessage()).startsWith("NOLEADER")) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The {@code field:value} lines of {@code GET_STATUS} ({@code role}, {@code term}, {@code
   * leader}, {@code applied_index}, {@code state_digest}, ...); a repeated field keeps its first
   * value.
   */
  Map<String, String> status() {
    String report;
    try (Jedis jedis = client()) {
      report = asString(jedis.sendCommand(ClusterCommand.GET_STATUS));
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
   * Sends a cluster command ({@code ADD_NODE}, {@code REMOVE_NODE}, {@code LIST_NODES}, {@code
   * SNAPSHOT}, ...) and returns its reply as text: a simple string, or the lines of an array.
   *
   * @throws JedisDataException with the server's error message if it answers with an error
   */
  String admin(String command, String... args) {
    try (Jedis jedis = client()) {
      Object reply = jedis.sendCommand(() -> command.getBytes(StandardCharsets.US_ASCII), args);
      if (reply instanceof List<?> lines) {
        return lines.stream().map(NodeProcess::asString).collect(Collectors.joining("\n"));
      }
      return asString(reply);
    }
  }

  private static String asString(Object reply) {
    return reply instanceof byte[] bytes
        ? new String(bytes, StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  @Override
  public String toString() {
    return name + "(" + id() + ")";
  }

  /** TinyKV's cluster commands, which Jedis does not know by name. */
  private enum ClusterCommand implements ProtocolCommand {
    GET_MASTER,
    GET_STATUS;

    @Override
    public byte[] getRaw() {
      return name().getBytes(StandardCharsets.US_ASCII);
    }
  }
}
