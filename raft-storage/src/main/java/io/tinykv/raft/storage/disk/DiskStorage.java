package io.tinykv.raft.storage.disk;

import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.MetaStore;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.format.Durability;
import io.tinykv.raft.storage.meta.FileMetaStore;
import io.tinykv.raft.storage.segment.SegmentedLog;
import io.tinykv.raft.storage.snapshot.FileSnapshotStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's whole durable state under {@code <root>/.raft} (DESIGN.md, "Storage layout"): {@code
 * meta}, {@code log/} and {@code snapshots/}, opened together, checked against each other and
 * locked against a second process.
 *
 * <p>Opening checks what one part cannot check alone: a missing meta next to an existing log or
 * snapshot (the term and vote would be forgotten) is refused; a log compacted beyond the newest
 * snapshot is refused; a log that ends before the newest snapshot or disagrees with its term (a
 * snapshot install interrupted by a crash) is reset to the snapshot.
 *
 * <p>Threading: see each part's contract; {@link #close()} is called once by the owner after the
 * writer thread has stopped.
 */
public final class DiskStorage implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiskStorage.class);

  private final Path raftDir;
  private final FileChannel lockChannel;
  private final FileMetaStore meta;
  private final SegmentedLog log;
  private final FileSnapshotStore snapshots;

  private DiskStorage(
      Path raftDir,
      FileChannel lockChannel,
      FileMetaStore meta,
      SegmentedLog log,
      FileSnapshotStore snapshots) {
    this.raftDir = raftDir;
    this.lockChannel = lockChannel;
    this.meta = meta;
    this.log = log;
    this.snapshots = snapshots;
  }

  /**
   * Opens (creating on first start) the storage of one node.
   *
   * @throws CorruptStorageException if any part is damaged or the parts disagree; do not start
   * @throws StorageException if another process holds the directory, it belongs to another cluster,
   *     or an I/O operation failed
   */
  public static DiskStorage open(StorageConfig config) {
    config.validate();
    Path raftDir = config.root().resolve(".raft");
    FileChannel lockChannel = lock(raftDir);
    try {
      Path logDir = raftDir.resolve("log");
      FileSnapshotStore snapshots =
          FileSnapshotStore.open(
              raftDir.resolve("snapshots"), config.snapshot(), config.channels());
      FileMetaStore meta = openMeta(config, raftDir, logDir, snapshots);
      SegmentedLog log = SegmentedLog.open(logDir, config.log(), config.cache(), config.channels());
      try {
        reconcile(log, snapshots.latest());
      } catch (RuntimeException e) {
        log.close();
        throw e;
      }
      LOG.info(
          "Opened {}: node {} of cluster {}, term {}, log [{}, {}], snapshot {}",
          raftDir,
          meta.current().nodeUuid(),
          meta.current().clusterId(),
          meta.current().term(),
          log.firstIndex(),
          log.lastIndex(),
          snapshots.latest().map(s -> s.meta().lastIndex()).orElse(0L));
      return new DiskStorage(raftDir, lockChannel, meta, log, snapshots);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  public MetaStore meta() {
    return meta;
  }

  public SegmentedLog log() {
    return log;
  }

  public FileSnapshotStore snapshots() {
    return snapshots;
  }

  /** {@code <root>/.raft}. */
  public Path raftDir() {
    return raftDir;
  }

  @Override
  public void close() {
    try {
      log.close();
      snapshots.close();
    } finally {
      closeQuietly(lockChannel);
    }
  }

  private static FileChannel lock(Path raftDir) {
    try {
      Files.createDirectories(raftDir);
      FileChannel channel =
          FileChannel.open(
              raftDir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new StorageException(raftDir + " is in use by another process or storage instance");
      }
      return channel;
    } catch (IOException e) {
      throw Durability.fatal("locking " + raftDir, e);
    }
  }

  private static FileMetaStore openMeta(
      StorageConfig config, Path raftDir, Path logDir, FileSnapshotStore snapshots) {
    Path file = raftDir.resolve("meta");
    Optional<FileMetaStore> existing = FileMetaStore.load(file, config.channels());
    if (existing.isEmpty()) {
      if (snapshots.latest().isPresent() || hasSegments(logDir)) {
        throw new CorruptStorageException(
            file,
            -1,
            "the meta file is missing but a log or snapshot exists; starting would forget the"
                + " term and vote");
      }
      PersistentMeta initial = PersistentMeta.initial(config.clusterId(), UUID.randomUUID());
      LOG.info("First start in {}: node UUID {}", raftDir, initial.nodeUuid());
      return FileMetaStore.create(file, initial, config.channels());
    }
    String stored = existing.get().current().clusterId();
    if (!stored.equals(config.clusterId())) {
      throw new StorageException(
          raftDir + " belongs to cluster '" + stored + "', not '" + config.clusterId() + "'");
    }
    return existing.get();
  }

  private static boolean hasSegments(Path logDir) {
    if (!Files.isDirectory(logDir)) {
      return false;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(logDir, "*.seg")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      throw Durability.fatal("listing " + logDir, e);
    }
  }

  private static void reconcile(SegmentedLog log, Optional<SnapshotInfo> latest) {
    if (latest.isEmpty()) {
      return;
    }
    long index = latest.get().meta().lastIndex();
    long term = latest.get().meta().lastTerm();
    if (index < log.firstIndex() - 1) {
      throw new CorruptStorageException(
          log.directory(),
          -1,
          "the log is compacted up to "
              + (log.firstIndex() - 1)
              + ", beyond the newest snapshot at "
              + index);
    }
    if (index > log.lastIndex() || log.term(index) != term) {
      LOG.warn(
          "The log [{}, {}] does not hold snapshot {}@{}: resetting it to the snapshot",
          log.firstIndex(),
          log.lastIndex(),
          index,
          term);
      log.resetTo(index, term);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("Could not close {}", channel, e);
    }
  }
}
