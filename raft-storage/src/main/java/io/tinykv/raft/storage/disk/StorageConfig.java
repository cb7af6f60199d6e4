package io.tinykv.raft.storage.disk;

import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.cache.CacheConfig;
import io.tinykv.raft.storage.segment.LogConfig;
import io.tinykv.raft.storage.snapshot.SnapshotConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link DiskStorage#open} needs.
 *
 * @param root the node's data directory; storage lives in {@code <root>/.raft}
 * @param clusterId the cluster this node belongs to; a data directory of another cluster is refused
 * @param log segmented log settings
 * @param cache log cache settings
 * @param snapshot snapshot store settings
 * @param channels opens every file (the fault-injection seam); {@link FileChannelFactory#DEFAULT}
 */
public record StorageConfig(
    Path root,
    String clusterId,
    LogConfig log,
    CacheConfig cache,
    SnapshotConfig snapshot,
    FileChannelFactory channels) {

  /** Default settings on the real file system. */
  public static StorageConfig of(Path root, String clusterId) {
    return new StorageConfig(
        root,
        clusterId,
        LogConfig.DEFAULT,
        CacheConfig.DEFAULT,
        SnapshotConfig.DEFAULT,
        FileChannelFactory.DEFAULT);
  }

  public StorageConfig withLog(LogConfig newLog) {
    return new StorageConfig(root, clusterId, newLog, cache, snapshot, channels);
  }

  public StorageConfig withChannels(FileChannelFactory newChannels) {
    return new StorageConfig(root, clusterId, log, cache, snapshot, newChannels);
  }

  /**
   * Checks every setting.
   *
   * @throws IllegalArgumentException naming the first one out of range
   * @throws NullPointerException if one is missing
   */
  public StorageConfig validate() {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(clusterId, "clusterId");
    Objects.requireNonNull(channels, "channels");
    if (clusterId.isEmpty() || clusterId.length() > PersistentMeta.MAX_CLUSTER_ID_LENGTH) {
      throw new IllegalArgumentException("invalid cluster id '" + clusterId + "'");
    }
    log.validate();
    cache.validate();
    snapshot.validate();
    return this;
  }
}
