package io.tinykv.raft.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens every file channel the storage writes or reads through, including the channels used to
 * fsync directories. It is the one seam for fault injection: a test supplies channels that fail
 * with "no space left on device", fail an fsync, or stop writing part-way.
 *
 * <p>Threading: called from whichever storage thread opens a file; implementations must be
 * thread-safe. The returned channel is used as an ordinary {@link FileChannel}.
 */
@FunctionalInterface
public interface FileChannelFactory {

  /** The real file system. */
  FileChannelFactory DEFAULT = FileChannel::open;

  /** Opens {@code path} like {@link FileChannel#open(Path, OpenOption...)}. */
  FileChannel open(Path path, OpenOption... options) throws IOException;
}
