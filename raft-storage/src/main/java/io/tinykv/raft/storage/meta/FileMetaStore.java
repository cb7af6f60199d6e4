package io.tinykv.raft.storage.meta;

import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.MetaStore;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.format.Durability;
import io.tinykv.raft.storage.format.RecordFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The meta file ({@code <root>/.raft/meta}): a {@link RecordFile} (magic "TKVM", version 2: version
 * 1 lacked the members' addresses) whose body {@link MetaCodec} describes, replaced atomically on
 * every save. See {@link MetaStore} for the contract.
 */
public final class FileMetaStore implements MetaStore {

  private static final RecordFile FORMAT = new RecordFile(0x544B564D, (short) 2);

  private final Path file;
  private final FileChannelFactory channels;
  private volatile PersistentMeta current;
  private volatile StorageException failure;

  private FileMetaStore(Path file, FileChannelFactory channels, PersistentMeta current) {
    this.file = file;
    this.channels = channels;
    this.current = current;
  }

  /**
   * Loads the meta file, or returns empty if there is none (a node that never started). A stray
   * temporary file from an interrupted save is deleted: the rename never happened, so the meta file
   * still holds the last completed save.
   *
   * @throws CorruptStorageException if the file is damaged or half-written: the node must not
   *     start, since it would forget its term and vote
   */
  public static Optional<FileMetaStore> load(Path file, FileChannelFactory channels) {
    try {
      Files.deleteIfExists(RecordFile.tempFileOf(file));
    } catch (IOException e) {
      throw Durability.fatal("deleting a stray " + RecordFile.tempFileOf(file), e);
    }
    return FORMAT
        .read(file)
        .map(
            body -> {
              try {
                return new FileMetaStore(file, channels, MetaCodec.decode(body));
              } catch (IOException e) {
                throw new CorruptStorageException(file, RecordFile.HEADER_BYTES, e.getMessage(), e);
              }
            });
  }

  /** Creates the meta file of a new node, durably. */
  public static FileMetaStore create(
      Path file, PersistentMeta initial, FileChannelFactory channels) {
    FORMAT.write(channels, file, MetaCodec.encode(initial));
    return new FileMetaStore(file, channels, initial);
  }

  @Override
  public PersistentMeta current() {
    return current;
  }

  @Override
  public void save(PersistentMeta meta) {
    PersistentMeta old = current;
    if (!meta.clusterId().equals(old.clusterId()) || !meta.nodeUuid().equals(old.nodeUuid())) {
      throw new IllegalArgumentException("a node's identity never changes: " + old + " -> " + meta);
    }
    if (meta.term() < old.term()) {
      throw new IllegalArgumentException("term going back from " + old.term() + " to " + meta);
    }
    if (meta.term() == old.term()
        && old.votedFor().isPresent()
        && !old.votedFor().equals(meta.votedFor())) {
      throw new IllegalArgumentException(
          "already voted for " + old.votedFor().get() + " in term " + old.term());
    }
    if (failure != null) {
      throw new StorageException("an earlier save of " + file + " failed; stop the node", failure);
    }
    try {
      FORMAT.write(channels, file, MetaCodec.encode(meta));
    } catch (StorageException e) {
      failure = e;
      throw e;
    }
    current = meta;
  }

  @Override
  public String toString() {
    return "FileMetaStore{" + file + " " + current + "}";
  }
}
