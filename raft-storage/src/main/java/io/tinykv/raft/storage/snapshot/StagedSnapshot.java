package io.tinykv.raft.storage.snapshot;

import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.format.Durability;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32C;

/**
 * A snapshot being assembled in a temporary directory: stored content is appended and checksummed;
 * {@link #install} makes it durable and renames the directory into place.
 *
 * <p>Threading: one thread.
 */
final class StagedSnapshot {

  private final FileChannelFactory channels;
  private final Path tempDir;
  private final FileChannel data;
  private final CRC32C crc = new CRC32C();
  private long bytes;
  private boolean finished;

  private StagedSnapshot(FileChannelFactory channels, Path tempDir, FileChannel data) {
    this.channels = channels;
    this.tempDir = tempDir;
    this.data = data;
  }

  static StagedSnapshot begin(FileChannelFactory channels, Path snapshotsDir) {
    Path tempDir = null;
    try {
      tempDir = Files.createTempDirectory(snapshotsDir, SnapshotFiles.TEMP_PREFIX);
      FileChannel data =
          channels.open(
              tempDir.resolve(SnapshotFiles.DATA),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
      StagedSnapshot staged = new StagedSnapshot(channels, tempDir, data);
      staged.writeRaw(SnapshotFiles.dataHeader());
      return staged;
    } catch (IOException e) {
      throw Durability.fatal(
          "starting a snapshot in " + (tempDir == null ? snapshotsDir : tempDir), e);
    }
  }

  long bytes() {
    return bytes;
  }

  int crc32c() {
    return (int) crc.getValue();
  }

  /** Appends stored content. */
  void write(byte[] chunk, int offset, int length) {
    crc.update(chunk, offset, length);
    bytes += length;
    try {
      writeRaw(ByteBuffer.wrap(chunk, offset, length));
    } catch (IOException e) {
      throw Durability.fatal("writing snapshot content in " + tempDir, e);
    }
  }

  private void writeRaw(ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      data.write(buffer);
    }
  }

  /** A stream appending stored content; closing it does nothing. */
  OutputStream stream() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        StagedSnapshot.this.write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        StagedSnapshot.this.write(b, off, len);
      }
    };
  }

  /**
   * Syncs the content, writes the meta, syncs the directory, renames it into {@code snapshotsDir}
   * and syncs that: the snapshot is durable and complete when this returns.
   */
  SnapshotInfo install(SnapshotMeta meta, Path snapshotsDir) {
    SnapshotInfo info = new SnapshotInfo(meta, bytes, crc32c());
    try {
      data.force(true);
      data.close();
    } catch (IOException e) {
      throw Durability.fatal("syncing snapshot content in " + tempDir, e);
    }
    SnapshotFiles.writeMeta(channels, tempDir, info);
    Durability.atomicMove(
        channels, tempDir, snapshotsDir.resolve(SnapshotFiles.directoryName(meta)));
    finished = true;
    return info;
  }

  /** Deletes the temporary directory unless installed. */
  void discard() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      data.close();
      deleteTree(tempDir);
    } catch (IOException e) {
      throw Durability.fatal("discarding " + tempDir, e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
