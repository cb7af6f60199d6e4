package io.tinykv.raft.storage.snapshot;

/**
 * Settings of the snapshot store.
 *
 * @param zstdLevel the Zstandard compression level for snapshots written locally (1 fastest, 19
 *     smallest); received snapshots are stored as the leader compressed them
 */
public record SnapshotConfig(int zstdLevel) {

  /** Level 3, zstd's own default: fast, with most of the size gain. */
  public static final SnapshotConfig DEFAULT = new SnapshotConfig(3);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException if the level is out of range
   */
  public SnapshotConfig validate() {
    if (zstdLevel < 1 || zstdLevel > 19) {
      throw new IllegalArgumentException("zstdLevel must be in [1, 19], got " + zstdLevel);
    }
    return this;
  }
}
