package io.tinykv.raft.storage.snapshot;

import com.github.luben.zstd.ZstdOutputStream;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotMismatchException;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.SnapshotReceiver;
import io.tinykv.raft.storage.SnapshotStore;
import io.tinykv.raft.storage.SnapshotWriter;
import io.tinykv.raft.storage.format.Durability;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots in a directory ({@code <root>/.raft/snapshots}), laid out as {@link SnapshotFiles}
 * describes and compressed with Zstandard. See {@link SnapshotStore} for the contract.
 *
 * <p>On open, temporary directories of interrupted writes are deleted, the newest complete snapshot
 * is checked (its meta must be intact, or the store refuses to open) and older ones, whose pruning
 * a crash interrupted, are deleted.
 */
public final class FileSnapshotStore implements SnapshotStore {

  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshotStore.class);

  private final Path dir;
  private final SnapshotConfig config;
  private final FileChannelFactory channels;

  /** The newest durable snapshot, or null. */
  private volatile SnapshotInfo latest;

  private FileSnapshotStore(
      Path dir, SnapshotConfig config, FileChannelFactory channels, SnapshotInfo latest) {
    this.dir = dir;
    this.config = config;
    this.channels = channels;
    this.latest = latest;
  }

  /**
   * Opens (creating if needed) the snapshot store in {@code dir}.
   *
   * @throws io.tinykv.raft.storage.CorruptStorageException if the newest snapshot's meta is damaged
   */
  public static FileSnapshotStore open(
      Path dir, SnapshotConfig config, FileChannelFactory channels) {
    config.validate();
    TreeMap<Long, Path> complete = new TreeMap<>();
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          OptionalLong index = SnapshotFiles.indexOfDirectory(name);
          if (index.isPresent()) {
            complete.put(index.getAsLong(), child);
          } else if (name.startsWith(SnapshotFiles.TEMP_PREFIX)) {
            LOG.info("Deleting {}: a snapshot write was interrupted", child);
            StagedSnapshot.deleteTree(child);
          }
        }
      }
    } catch (IOException e) {
      throw Durability.fatal("opening the snapshot store in " + dir, e);
    }
    SnapshotInfo latest =
        complete.isEmpty() ? null : SnapshotFiles.readMeta(complete.lastEntry().getValue());
    FileSnapshotStore store = new FileSnapshotStore(dir, config, channels, latest);
    if (latest != null) {
      store.pruneOlderThan(latest);
    }
    return store;
  }

  @Override
  public Optional<SnapshotInfo> latest() {
    return Optional.ofNullable(latest);
  }

  @Override
  public SnapshotWriter create(SnapshotMeta meta) {
    requireNewer(meta);
    StagedSnapshot staged = StagedSnapshot.begin(channels, dir);
    try {
      return new CompressingWriter(meta, staged);
    } catch (IOException e) {
      staged.discard();
      throw Durability.fatal("starting compression of a snapshot in " + dir, e);
    }
  }

  @Override
  public SnapshotReceiver receive(SnapshotInfo expected) {
    requireNewer(expected.meta());
    return new ChunkReceiver(expected, StagedSnapshot.begin(channels, dir));
  }

  @Override
  public SnapshotReader open(SnapshotInfo snapshot) {
    Path data =
        dir.resolve(SnapshotFiles.directoryName(snapshot.meta())).resolve(SnapshotFiles.DATA);
    if (!Files.exists(data)) {
      throw new IllegalArgumentException("snapshot " + snapshot.meta() + " is no longer stored");
    }
    return new FileSnapshotReader(channels, data, snapshot);
  }

  @Override
  public void close() {
    // Nothing stays open: writers, receivers and readers own their files.
  }

  private void requireNewer(SnapshotMeta meta) {
    SnapshotInfo current = latest;
    if (current != null && meta.lastIndex() <= current.meta().lastIndex()) {
      throw new IllegalArgumentException(
          "snapshot at " + meta.lastIndex() + " is not newer than " + current.meta());
    }
  }

  private synchronized SnapshotInfo install(StagedSnapshot staged, SnapshotMeta meta) {
    requireNewer(meta);
    SnapshotInfo info = staged.install(meta, dir);
    latest = info;
    LOG.info("Snapshot {} is durable ({} bytes stored)", meta, info.storedBytes());
    pruneOlderThan(info);
    return info;
  }

  private void pruneOlderThan(SnapshotInfo keep) {
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        OptionalLong index = SnapshotFiles.indexOfDirectory(child.getFileName().toString());
        if (index.isPresent() && index.getAsLong() < keep.meta().lastIndex()) {
          StagedSnapshot.deleteTree(child);
        }
      }
    } catch (IOException e) {
      throw Durability.fatal("pruning snapshots older than " + keep.meta() + " in " + dir, e);
    }
    Durability.syncDirectory(channels, dir);
  }

  /** Compresses the state machine's bytes into a staged snapshot. */
  private final class CompressingWriter implements SnapshotWriter {

    private final SnapshotMeta meta;
    private final StagedSnapshot staged;
    private final ZstdOutputStream compressor;
    private boolean committed;

    CompressingWriter(SnapshotMeta meta, StagedSnapshot staged) throws IOException {
      this.meta = meta;
      this.staged = staged;
      this.compressor = new ZstdOutputStream(staged.stream(), config.zstdLevel());
    }

    @Override
    public OutputStream content() {
      return compressor;
    }

    @Override
    public SnapshotInfo commit() {
      try {
        compressor.close();
      } catch (IOException e) {
        throw Durability.fatal("finishing the compressed snapshot " + meta, e);
      }
      SnapshotInfo info = install(staged, meta);
      committed = true;
      return info;
    }

    @Override
    public void close() {
      if (!committed) {
        try {
          compressor.close();
        } catch (IOException e) {
          LOG.debug("Ignoring a failure to close the compressor of an abandoned snapshot", e);
        }
        staged.discard();
      }
    }
  }

  /** Takes a leader's stored content chunk by chunk and verifies it before installing. */
  private final class ChunkReceiver implements SnapshotReceiver {

    private final SnapshotInfo expected;
    private final StagedSnapshot staged;
    private boolean committed;

    ChunkReceiver(SnapshotInfo expected, StagedSnapshot staged) {
      this.expected = expected;
      this.staged = staged;
    }

    @Override
    public long receivedBytes() {
      return staged.bytes();
    }

    @Override
    public void write(long offset, byte[] chunk) {
      if (offset != staged.bytes() || offset + chunk.length > expected.storedBytes()) {
        throw new IllegalArgumentException(
            "chunk of "
                + chunk.length
                + "B at "
                + offset
                + " does not continue "
                + staged.bytes()
                + "B of "
                + expected.storedBytes()
                + "B");
      }
      staged.write(chunk, 0, chunk.length);
    }

    @Override
    public void verify() {
      if (staged.bytes() != expected.storedBytes() || staged.crc32c() != expected.crc32c()) {
        staged.discard();
        throw new SnapshotMismatchException(
            "received "
                + staged.bytes()
                + "B with CRC32C "
                + Integer.toHexString(staged.crc32c())
                + " but expected "
                + expected);
      }
    }

    @Override
    public SnapshotInfo commit() {
      verify();
      SnapshotInfo info = install(staged, expected.meta());
      committed = true;
      return info;
    }

    @Override
    public void close() {
      if (!committed) {
        staged.discard();
      }
    }
  }
}
