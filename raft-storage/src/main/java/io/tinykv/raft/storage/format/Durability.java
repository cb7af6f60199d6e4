package io.tinykv.raft.storage.format;

import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file-system steps that make a change durable: fsync a directory after creating, renaming or
 * deleting in it, and rename atomically. Failures are fatal ({@link StorageException}) and logged
 * once, here, with what was being done.
 */
public final class Durability {

  private static final Logger LOG = LoggerFactory.getLogger(Durability.class);

  private Durability() {}

  /** Fsyncs {@code dir}, so that entries created, renamed or deleted in it survive a crash. */
  public static void syncDirectory(FileChannelFactory channels, Path dir) {
    try (FileChannel channel = channels.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      throw fatal("fsync of directory " + dir, e);
    }
  }

  /** Renames {@code from} to {@code to} atomically, replacing {@code to}, and fsyncs the parent. */
  public static void atomicMove(FileChannelFactory channels, Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw fatal("rename of " + from + " to " + to, e);
    }
    syncDirectory(channels, to.getParent());
  }

  /**
   * Logs a failed durable operation as fatal and returns the exception to throw. The node must
   * stop: after a failed write or fsync nobody knows what reached the disk.
   */
  public static StorageException fatal(String what, IOException cause) {
    String message =
        "FATAL storage failure: " + what + " failed (" + cause + "); the node must stop";
    LOG.error(message, cause);
    return new StorageException(message, cause);
  }
}
