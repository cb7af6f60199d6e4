package io.tinykv.raft.node.jmx;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.LockFreeExponentiallyDecayingReservoir;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.jmx.JmxReporter;
import io.tinykv.raft.jmx.ObjectNames;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.runtime.NodeRecorder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javax.management.MBeanServer;

/**
 * A node's throughput and latency figures (Dropwizard Metrics), fed by the runtime through {@link
 * NodeRecorder} and published to JMX as {@code io.tinykv:type=Metrics,id=<id>,name=<metric>}:
 *
 * <ul>
 *   <li>{@value #PROPOSALS}: proposals handed to this node, with mean and 1/5/15-minute rates per
 *       second;
 *   <li>{@value #COMMIT_LATENCY}: from propose to applied, for proposals made through this node,
 *       percentiles in milliseconds (an exponentially decaying sample favouring the last 5
 *       minutes);
 *   <li>{@value #FSYNC_LATENCY}: each log fsync, percentiles in milliseconds;
 *   <li>{@value #APPLY_LAG}: committed entries not yet applied, from the published status;
 *   <li>{@value #ENTRIES_PER_FSYNC}: the group-commit factor since start.
 * </ul>
 */
final class NodeMetrics implements NodeRecorder {

  static final String PROPOSALS = "proposals";
  static final String COMMIT_LATENCY = "commitLatency";
  static final String FSYNC_LATENCY = "fsyncLatency";
  static final String APPLY_LAG = "applyLag";
  static final String ENTRIES_PER_FSYNC = "entriesPerFsync";

  private final MetricRegistry registry = new MetricRegistry();
  private final Meter proposals = registry.meter(PROPOSALS);
  private final Timer commitLatency =
      registry.register(
          COMMIT_LATENCY, new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
  private final Timer fsyncLatency =
      registry.register(
          FSYNC_LATENCY, new Timer(LockFreeExponentiallyDecayingReservoir.builder().build()));
  private final LongAdder fsyncNanos = new LongAdder();
  private final LongAdder fsyncsTimed = new LongAdder();
  private final LongConsumer snapshotTaken;
  private final LongConsumer snapshotInstalled;

  /**
   * @param status the node's published status, for the gauges
   * @param snapshotTaken told the index of each snapshot this node takes (off the caller's thread)
   * @param snapshotInstalled told the index of each snapshot this node installs
   */
  NodeMetrics(
      Supplier<NodeStatus> status, LongConsumer snapshotTaken, LongConsumer snapshotInstalled) {
    this.snapshotTaken = snapshotTaken;
    this.snapshotInstalled = snapshotInstalled;
    registry.register(
        APPLY_LAG,
        (Gauge<Long>)
            () -> {
              NodeStatus s = status.get();
              return Math.max(0, s.raft().commitIndex() - s.appliedIndex());
            });
    registry.register(
        ENTRIES_PER_FSYNC,
        (Gauge<Double>)
            () -> {
              NodeStatus s = status.get();
              return s.fsyncs() == 0 ? Double.NaN : s.entriesPerFsync();
            });
  }

  @Override
  public void proposed() {
    proposals.mark();
  }

  @Override
  public void applied(long nanos) {
    commitLatency.update(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void fsynced(long nanos) {
    fsyncLatency.update(nanos, TimeUnit.NANOSECONDS);
    fsyncNanos.add(nanos);
    fsyncsTimed.increment();
  }

  @Override
  public void snapshotTaken(long index) {
    snapshotTaken.accept(index);
  }

  @Override
  public void snapshotInstalled(long index) {
    snapshotInstalled.accept(index);
  }

  /** Mean fsync time in milliseconds since the node started; NaN before the first fsync. */
  double fsyncMillisMean() {
    long count = fsyncsTimed.sum();
    return count == 0 ? Double.NaN : fsyncNanos.sum() / 1e6 / count;
  }

  MetricRegistry registry() {
    return registry;
  }

  /** Starts publishing every metric to {@code server} under the node's id; stop the reporter. */
  JmxReporter publish(MBeanServer server, String nodeId) {
    JmxReporter reporter =
        JmxReporter.forRegistry(registry)
            .registerWith(server)
            .inDomain(ObjectNames.DOMAIN)
            .convertRatesTo(TimeUnit.SECONDS)
            .convertDurationsTo(TimeUnit.MILLISECONDS)
            .createsObjectNamesWith((type, domain, name) -> ObjectNames.metric(nodeId, name))
            .build();
    reporter.start();
    return reporter;
  }
}
