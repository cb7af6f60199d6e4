package io.tinykv.raft.node.jmx;

import io.tinykv.raft.jmx.LogMXBean;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.cache.CacheStats;
import io.tinykv.raft.storage.segment.SegmentFiles;
import io.tinykv.raft.storage.segment.SegmentedLog;
import java.util.function.Supplier;

/**
 * The node's segmented log: bounds, files and cache from {@link SegmentedLog}'s read-only accessors
 * (safe on any thread), fsync counts from the published status, fsync times from the runtime's
 * recorder.
 */
final class LogBean implements LogMXBean {

  private final SegmentedLog log;
  private final Supplier<NodeStatus> status;
  private final NodeMetrics metrics;

  LogBean(SegmentedLog log, Supplier<NodeStatus> status, NodeMetrics metrics) {
    this.log = log;
    this.status = status;
    this.metrics = metrics;
  }

  @Override
  public long getFirstIndex() {
    return log.firstIndex();
  }

  @Override
  public long getLastIndex() {
    return log.lastIndex();
  }

  private SegmentFiles files() {
    try {
      return log.segmentFiles();
    } catch (IllegalStateException closed) {
      return new SegmentFiles(0, 0);
    } catch (StorageException e) {
      // JMX clients do not have TinyKV's exception classes: pass the message on only.
      throw new IllegalStateException(e.getMessage());
    }
  }

  @Override
  public int getSegments() {
    return files().count();
  }

  @Override
  public long getBytesOnDisk() {
    return files().bytes();
  }

  @Override
  public double getCacheHitRatio() {
    CacheStats stats = log.cacheStats();
    long hits = stats.hotHits() + stats.coldHits();
    long reads = hits + stats.diskReads();
    return reads == 0 ? Double.NaN : (double) hits / reads;
  }

  @Override
  public long getFsyncCount() {
    return status.get().fsyncs();
  }

  @Override
  public double getFsyncLatencyMillisMean() {
    return metrics.fsyncMillisMean();
  }

  @Override
  public double getEntriesPerFsync() {
    NodeStatus s = status.get();
    return s.fsyncs() == 0 ? Double.NaN : s.entriesPerFsync();
  }
}
