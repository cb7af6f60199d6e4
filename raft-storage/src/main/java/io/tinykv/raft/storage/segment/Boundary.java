package io.tinykv.raft.storage.segment;

import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.format.RecordFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The last index compacted away (covered by a snapshot) and its term: the log's first index is
 * {@code index + 1}, and {@code term} answers {@code term(index)}. Stored in the log directory's
 * {@code compacted} file as a {@link RecordFile} (magic "TKVC") whose body is {@code u64 index, u64
 * term}.
 */
record Boundary(long index, long term) {

  static final Boundary NONE = new Boundary(0, 0);

  private static final String FILE_NAME = "compacted";
  private static final RecordFile FORMAT = new RecordFile(0x544B5643, (short) 1);

  static Path file(Path dir) {
    return dir.resolve(FILE_NAME);
  }

  /** The stored boundary, or {@link #NONE} if the log was never compacted. */
  static Boundary read(Path dir) {
    Path file = file(dir);
    return FORMAT
        .read(file)
        .map(
            body -> {
              if (body.length != 16) {
                throw new CorruptStorageException(file, 0, "body of " + body.length + "B");
              }
              ByteBuffer buffer = ByteBuffer.wrap(body);
              return new Boundary(buffer.getLong(), buffer.getLong());
            })
        .orElse(NONE);
  }

  /** Durably and atomically stores this boundary. */
  void write(FileChannelFactory channels, Path dir) {
    byte[] body = ByteBuffer.allocate(16).putLong(index).putLong(term).array();
    FORMAT.write(channels, file(dir), body);
  }
}
