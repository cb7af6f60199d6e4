package io.tinykv.raft.node.jmx;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import io.tinykv.raft.jmx.ObjectNames;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.NodeRecorder;
import io.tinykv.raft.node.transport.netty.PeerLinkStats;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotStore;
import io.tinykv.raft.storage.segment.SegmentedLog;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's management surface in an {@link MBeanServer} (the platform one unless told otherwise, so
 * that JConsole and VisualVM can attach locally; a remote connector serves the same server):
 *
 * <ul>
 *   <li>{@code io.tinykv:type=RaftNode,id=<id>}: state, operations and notifications;
 *   <li>{@code io.tinykv:type=Peer,node=<id>,peer=<peer>}: one per follower while this node leads;
 *   <li>{@code io.tinykv:type=Log,id=<id>}: the segmented log, if given;
 *   <li>{@code io.tinykv:type=Metrics,id=<id>,name=...}: throughput and latency (Dropwizard
 *       Metrics, see {@link NodeMetrics}).
 * </ul>
 *
 * Everything is read from the node's published status, the transport's and the storage's read-only
 * counters, and the runtime's {@link io.tinykv.raft.node.runtime.NodeRecorder}, never from the
 * consensus core. Build it with {@link #builder}, before the node starts (it installs the node's
 * recorder), and close it before the node.
 */
public final class NodeManagement implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeManagement.class);

  private final MBeanServer server;
  private final List<ObjectName> registered;
  private final NodeWatcher watcher;
  private final JmxReporter reporter;
  private final NodeMetrics metrics;

  private NodeManagement(
      MBeanServer server,
      List<ObjectName> registered,
      NodeWatcher watcher,
      JmxReporter reporter,
      NodeMetrics metrics) {
    this.server = server;
    this.registered = registered;
    this.watcher = watcher;
    this.reporter = reporter;
    this.metrics = metrics;
  }

  /**
   * Starts describing a node's management.
   *
   * @param node the node, not yet started
   * @param config its consensus settings (the election timeout, for quorum readings)
   * @param tickMillis the length of its tick
   */
  public static Builder builder(DefaultRaftNode<?> node, RaftConfig config, int tickMillis) {
    return new Builder(node, config, tickMillis);
  }

  /** The node's metrics, for embedders that also report them elsewhere. */
  public MetricRegistry metrics() {
    return metrics.registry();
  }

  /** The recorder installed in the node; for tests of events the runtime reports. */
  NodeRecorder recorder() {
    return metrics;
  }

  /** Unregisters every MBean of the node and stops its watcher thread. */
  @Override
  public void close() {
    watcher.close();
    reporter.close();
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException e) {
        LOG.warn("cannot unregister {}", name, e);
      }
    }
  }

  /** What the node's management reads and does; each part has a working default. */
  public static final class Builder {
    private final DefaultRaftNode<?> node;
    private final RaftConfig config;
    private final int tickMillis;
    private MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private Function<NodeId, Optional<NodeAddress>> addresses = id -> Optional.empty();
    private Function<NodeId, Optional<PeerLinkStats>> links = id -> Optional.empty();
    private Optional<SegmentedLog> log = Optional.empty();
    private Optional<SnapshotStore> snapshots = Optional.empty();
    private ClusterOperations operations = ClusterOperations.notSupportedYet();

    private Builder(DefaultRaftNode<?> node, RaftConfig config, int tickMillis) {
      this.node = Objects.requireNonNull(node, "node");
      this.config = Objects.requireNonNull(config, "config");
      if (!config.id().equals(node.id())) {
        throw new IllegalArgumentException(
            "the config is for " + config.id() + ", the node is " + node.id());
      }
      if (tickMillis < 1) {
        throw new IllegalArgumentException("tickMillis must be positive, got " + tickMillis);
      }
      this.tickMillis = tickMillis;
    }

    /** Registers in {@code server} instead of the platform MBean server. */
    public Builder mbeanServer(MBeanServer server) {
      this.server = Objects.requireNonNull(server, "server");
      return this;
    }

    /** Where members listen, for leader addresses and member lists. */
    public Builder addresses(Function<NodeId, Optional<NodeAddress>> addresses) {
      this.addresses = Objects.requireNonNull(addresses, "addresses");
      return this;
    }

    /** The transport's per-peer counters (reconnects, losses, live connections). */
    public Builder peerLinks(Function<NodeId, Optional<PeerLinkStats>> links) {
      this.links = Objects.requireNonNull(links, "links");
      return this;
    }

    /** The node's segmented log: adds the Log MBean. */
    public Builder log(SegmentedLog log) {
      this.log = Optional.of(log);
      return this;
    }

    /** Where the node's snapshots are stored, for the snapshot index. */
    public Builder snapshots(SnapshotStore snapshots) {
      this.snapshots = Optional.of(snapshots);
      return this;
    }

    /** Membership changes and snapshots; refused as not supported yet by default. */
    public Builder operations(ClusterOperations operations) {
      this.operations = Objects.requireNonNull(operations, "operations");
      return this;
    }

    /**
     * Registers the MBeans and metrics, installs the node's recorder and starts watching it.
     *
     * @throws IllegalStateException if MBeans of a node with this id are registered already
     */
    public NodeManagement register() {
      String id = node.id().value();
      Optional<SnapshotStore> store = snapshots;
      ObjectName nodeName = ObjectNames.raftNode(id);
      RaftNodeBean bean =
          new RaftNodeBean(
              nodeName,
              node,
              addresses,
              links,
              () -> store.flatMap(SnapshotStore::latest).map(NodeManagement::index).orElse(0L),
              operations,
              config.electionTicks(),
              tickMillis);
      NodeWatcher watcher =
          new NodeWatcher(
              node,
              bean,
              server,
              peer -> new PeerBean(peer, node::status, links, tickMillis),
              addresses,
              config.electionTicks(),
              tickMillis);
      NodeMetrics metrics =
          new NodeMetrics(node::status, watcher::snapshotTaken, watcher::snapshotInstalled);
      List<ObjectName> registered = new ArrayList<>();
      try {
        server.registerMBean(bean, nodeName);
        registered.add(nodeName);
        if (log.isPresent()) {
          ObjectName logName = ObjectNames.log(id);
          server.registerMBean(new LogBean(log.get(), node::status, metrics), logName);
          registered.add(logName);
        }
      } catch (JMException e) {
        for (ObjectName name : registered) {
          try {
            server.unregisterMBean(name);
          } catch (JMException ignored) {
            // best effort: we are failing anyway
          }
        }
        throw new IllegalStateException(
            "cannot register the MBeans of node " + id + ": " + e.getMessage(), e);
      }
      JmxReporter reporter = metrics.publish(server, id);
      node.recordTo(metrics);
      watcher.start();
      return new NodeManagement(server, registered, watcher, reporter, metrics);
    }
  }

  private static long index(SnapshotInfo snapshot) {
    return snapshot.meta().lastIndex();
  }
}
