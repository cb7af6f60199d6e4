package io.tinykv.raft.node.cli;

import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.kv.KvLimits;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.node.runtime.snapshot.SnapshotOptions;
import io.tinykv.raft.node.server.KvServer;
import io.tinykv.raft.node.server.ServerConfig;
import io.tinykv.raft.node.server.ServerIdentity;
import io.tinykv.raft.node.server.StartMode;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar tinykv.jar ...}: runs one TinyKV node until it is stopped. */
@Command(
    name = "tinykv",
    mixinStandardHelpOptions = true,
    version = "TinyKV 0.1.0",
    sortOptions = false,
    description = {
      "Runs one TinyKV node: a Raft replica of a key-value store that Redis clients can use.",
      "Start three nodes with the same --initial-cluster (or one with --bootstrap); restart a",
      "node with --root alone."
    })
public final class TinyKvMain implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--host",
      description = "Address to listen on; default 127.0.0.1, or the stored one on a restart.")
  String host;

  @Option(
      names = "--port",
      description = "Port for peers and clients; default 8001, or the stored one on a restart.")
  Integer port;

  @Option(names = "--root", required = true, description = "Data directory (state in .raft/).")
  Path root;

  @Option(
      names = "--secret",
      defaultValue = "${env:TINYKV_SECRET}",
      description = "Cluster secret (at least 8 characters); default: $TINYKV_SECRET.")
  String secret;

  @Option(names = "--id", description = "Node id; default host:port, or the stored one.")
  String id;

  @Option(names = "--cluster-id", description = "Cluster name; default tinykv, or the stored one.")
  String clusterId;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Start start = new Start();

  static final class Start {
    @Option(names = "--bootstrap", description = "First node of a new cluster.")
    boolean bootstrap;

    @Option(
        names = "--initial-cluster",
        split = ",",
        paramLabel = "[id=]host:port",
        description = "All members of a new cluster, this node included.")
    String[] initialCluster;

    @Option(names = "--join", paramLabel = "host:port", description = "A member to join through.")
    String join;
  }

  @Option(names = "--tick-ms", defaultValue = "10", description = "Length of a tick.")
  int tickMillis;

  @Option(
      names = "--election-ticks",
      defaultValue = "15",
      description = "Minimum election timeout in ticks (randomized up to twice that).")
  int electionTicks;

  @Option(names = "--heartbeat-ticks", defaultValue = "3", description = "Heartbeat interval.")
  int heartbeatTicks;

  @Option(names = "--max-append-entries", defaultValue = "1000", description = "Per AppendEntries.")
  int maxAppendEntries;

  @Option(
      names = "--max-append-bytes",
      defaultValue = "1048576",
      description = "Per AppendEntries.")
  long maxAppendBytes;

  @Option(names = "--max-inflight", defaultValue = "256", description = "Appends in flight.")
  int maxInflight;

  @Option(
      names = "--snapshot-entries",
      defaultValue = "100000",
      description = "Snapshot after this many entries applied since the last snapshot.")
  long snapshotEntries;

  @Option(
      names = "--snapshot-bytes",
      defaultValue = "67108864",
      description = "Snapshot after this many command bytes applied since the last snapshot.")
  long snapshotBytes;

  @Option(
      names = "--snapshot-retain",
      defaultValue = "10000",
      description = "Log entries kept below a snapshot for slightly lagging followers.")
  long snapshotRetain;

  @Option(
      names = "--snapshot-rate",
      defaultValue = "33554432",
      description = "Bytes per second this node streams snapshots, shared by all its transfers.")
  long snapshotRate;

  @Option(
      names = "--learner-catch-up",
      defaultValue = "1000",
      description = "A learner within this many entries of the leader is promoted to voter.")
  long learnerCatchUp;

  @Option(names = "--requirepass", description = "Password clients must AUTH with.")
  String clientPassword;

  @Option(names = "--max-value-bytes", defaultValue = "1048576", description = "Largest value.")
  int maxValueBytes;

  @Option(
      names = "--jmx-port",
      description =
          "Serve remote JMX (JConsole, VisualVM) on this port of --host; user admin, password"
              + " the cluster secret. Without it, MBeans are only for local attach.")
  Integer jmxPort;

  @Option(
      names = "--jmx-tls",
      description = "Remote JMX over TLS (key store from -Djavax.net.ssl.keyStore).")
  boolean jmxTls;

  @Override
  public Integer call() throws Exception {
    ServerConfig config = toConfig();
    configureLogging(config);
    KvServer server = KvServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tinykv-shutdown"));
    server.awaitClosed();
    return 0;
  }

  ServerConfig toConfig() {
    Optional<ServerIdentity> stored;
    try {
      stored = ServerIdentity.load(root);
    } catch (IllegalStateException | UncheckedIOException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    String effectiveHost =
        host != null ? host : stored.map(s -> s.address().host()).orElse("127.0.0.1");
    int effectivePort = port != null ? port : stored.map(s -> s.address().port()).orElse(8001);
    String effectiveCluster =
        clusterId != null ? clusterId : stored.map(ServerIdentity::clusterId).orElse("tinykv");
    NodeAddress address;
    NodeId nodeId;
    try {
      address = NodeAddress.of(effectiveHost, effectivePort);
      nodeId =
          id != null
              ? NodeId.of(id)
              : stored.map(ServerIdentity::id).orElse(NodeId.of(address.toString()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    ServerIdentity identity = new ServerIdentity(nodeId, address, effectiveCluster);
    if (stored.isPresent() && !stored.get().equals(identity)) {
      ServerIdentity s = stored.get();
      throw new ParameterException(
          spec.commandLine(),
          root
              + " belongs to node "
              + s.id()
              + " at "
              + s.address()
              + " of cluster "
              + s.clusterId()
              + ", not "
              + nodeId
              + " at "
              + address
              + " of cluster "
              + effectiveCluster
              + ": peers know a node by its id and address, so restart it with the stored ones"
              + " (give --root alone)");
    }
    if (secret == null || secret.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give the cluster secret with --secret or $TINYKV_SECRET");
    }
    Map<NodeId, NodeAddress> members = new LinkedHashMap<>();
    StartMode mode;
    Optional<NodeAddress> joinAddress = Optional.empty();
    try {
      if (start.bootstrap) {
        mode = StartMode.BOOTSTRAP;
        members.put(nodeId, address);
      } else if (start.initialCluster != null) {
        mode = StartMode.INITIAL_CLUSTER;
        for (String member : start.initialCluster) {
          parseMember(member.trim(), members);
        }
      } else if (start.join != null) {
        mode = StartMode.JOIN;
        joinAddress = Optional.of(NodeAddress.parse(start.join));
      } else {
        mode = StartMode.RESTART;
      }
      if (mode == StartMode.RESTART && !Files.isDirectory(root.resolve(".raft"))) {
        throw new IllegalArgumentException(
            root + " holds no node yet: start it with --bootstrap, --initial-cluster or --join");
      }
      RaftConfig raft =
          RaftConfig.builder(nodeId)
              .electionTicks(electionTicks)
              .heartbeatTicks(heartbeatTicks)
              .maxEntriesPerAppend(maxAppendEntries)
              .maxBytesPerAppend(maxAppendBytes)
              .maxInflightAppends(maxInflight)
              .learnerCatchUpEntries(learnerCatchUp)
              .build();
      RuntimeOptions runtime =
          new RuntimeOptions(
                  tickMillis,
                  RuntimeOptions.DEFAULTS.raftRingSize(),
                  RuntimeOptions.DEFAULTS.logRingSize(),
                  RuntimeOptions.DEFAULTS.applyRingSize())
              .withSnapshots(
                  SnapshotOptions.DEFAULTS
                      .withThresholds(snapshotEntries, snapshotBytes, snapshotRetain)
                      .withTransfer(
                          SnapshotOptions.DEFAULTS.chunkBytes(),
                          SnapshotOptions.DEFAULTS.windowChunks(),
                          snapshotRate));
      return new ServerConfig(
          address,
          root,
          effectiveCluster,
          secret,
          mode,
          members,
          joinAddress,
          raft,
          runtime,
          Optional.ofNullable(clientPassword),
          new KvLimits(KvLimits.DEFAULTS.maxKeyBytes(), maxValueBytes),
          jmxPort == null ? OptionalInt.empty() : OptionalInt.of(jmxPort),
          jmxTls);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private static void parseMember(String member, Map<NodeId, NodeAddress> members) {
    int eq = member.indexOf('=');
    NodeAddress address = NodeAddress.parse(eq < 0 ? member : member.substring(eq + 1));
    NodeId memberId = NodeId.of(eq < 0 ? member : member.substring(0, eq));
    if (members.put(memberId, address) != null) {
      throw new IllegalArgumentException("--initial-cluster lists " + memberId + " twice");
    }
  }

  /** Points Logback at the server's configuration before any logger exists. */
  private static void configureLogging(ServerConfig config) throws java.io.IOException {
    Path raftDir = config.root().resolve(".raft");
    Files.createDirectories(raftDir);
    System.setProperty("tinykv.log.file", raftDir.resolve("raft.log").toString());
    System.setProperty("tinykv.node.id", config.id().value());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "tinykv-logback.xml");
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new TinyKvMain()).execute(args));
  }
}
