package io.tinykv.raft.storage;

import java.nio.file.Path;

/**
 * Stored data failed a check (magic, version, checksum, index sequence) somewhere a torn write
 * cannot explain, so it was damaged after it was durable. The node refuses to start or to go on
 * rather than run with silently lost or altered state; the message names the file and the byte
 * offset of the first bad record so an operator can inspect it.
 */
public final class CorruptStorageException extends StorageException {

  private final transient Path file;
  private final long offset;

  public CorruptStorageException(Path file, long offset, String problem) {
    super(describe(file, offset, problem));
    this.file = file;
    this.offset = offset;
  }

  public CorruptStorageException(Path file, long offset, String problem, Throwable cause) {
    super(describe(file, offset, problem), cause);
    this.file = file;
    this.offset = offset;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** The byte offset of the damaged record in {@link #file()}, or -1 if it is the whole file. */
  public long offset() {
    return offset;
  }

  private static String describe(Path file, long offset, String problem) {
    return "corrupt storage: "
        + file
        + (offset >= 0 ? " at offset " + offset : "")
        + ": "
        + problem
        + "; refusing to continue with altered or lost durable state";
  }
}
