package io.tinykv.raft.storage.snapshot;

import com.github.luben.zstd.ZstdInputStream;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.format.Durability;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/** Reads one snapshot's data file; see {@link SnapshotReader}. Positional reads only. */
final class FileSnapshotReader implements SnapshotReader {

  private final Path file;
  private final SnapshotInfo info;
  private final FileChannel channel;

  FileSnapshotReader(FileChannelFactory channels, Path file, SnapshotInfo info) {
    this.file = file;
    this.info = info;
    try {
      this.channel = channels.open(file, StandardOpenOption.READ);
      ByteBuffer header = ByteBuffer.allocate(SnapshotFiles.DATA_HEADER_BYTES);
      channel.read(header, 0);
      String problem = SnapshotFiles.dataHeaderProblem(header.flip());
      if (problem != null) {
        channel.close();
        throw new CorruptStorageException(file, 0, problem);
      }
    } catch (IOException e) {
      throw Durability.fatal("opening " + file, e);
    }
  }

  @Override
  public SnapshotInfo info() {
    return info;
  }

  @Override
  public InputStream openContent() {
    VerifyingStream stored = new VerifyingStream();
    try {
      return new FilterInputStream(new ZstdInputStream(stored)) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          return b < 0 ? drained(b) : b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
          int n = super.read(buffer, offset, length);
          return n < 0 ? drained(n) : n;
        }

        /** Reads the stored content to its end, where its checksum is checked. */
        private int drained(int endOfStream) throws IOException {
          stored.transferTo(OutputStream.nullOutputStream());
          return endOfStream;
        }
      };
    } catch (IOException e) {
      throw new CorruptStorageException(file, SnapshotFiles.DATA_HEADER_BYTES, e.toString(), e);
    }
  }

  @Override
  public byte[] readChunk(long offset, int maxBytes) {
    if (offset < 0 || offset > info.storedBytes() || maxBytes < 0) {
      throw new IllegalArgumentException(
          "chunk at " + offset + " of " + maxBytes + "B outside " + info.storedBytes() + "B");
    }
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(maxBytes, info.storedBytes() - offset));
    try {
      readFully(chunk, SnapshotFiles.DATA_HEADER_BYTES + offset);
    } catch (IOException e) {
      throw Durability.fatal("reading " + file, e);
    }
    return chunk.array();
  }

  @Override
  public void verify() {
    try (VerifyingStream stored = new VerifyingStream()) {
      stored.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      if (e.getCause() instanceof CorruptStorageException corrupt) {
        throw corrupt;
      }
      throw Durability.fatal("verifying " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw Durability.fatal("closing " + file, e);
    }
  }

  private void readFully(ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException(
            new CorruptStorageException(file, at, "content ends before its stored size"));
      }
      at += n;
    }
  }

  /** The stored content, checked against its size and CRC32C when its end is reached. */
  private final class VerifyingStream extends InputStream {

    private final CRC32C crc = new CRC32C();
    private long position;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position == info.storedBytes()) {
        if ((int) crc.getValue() != info.crc32c() || channel.size() != end()) {
          throw new IOException(
              new CorruptStorageException(
                  file, SnapshotFiles.DATA_HEADER_BYTES, "snapshot content checksum mismatch"));
        }
        return -1;
      }
      int n = (int) Math.min(length, info.storedBytes() - position);
      ByteBuffer target = ByteBuffer.wrap(buffer, offset, n);
      readFully(target, SnapshotFiles.DATA_HEADER_BYTES + position);
      crc.update(buffer, offset, n);
      position += n;
      return n;
    }

    private long end() {
      return SnapshotFiles.DATA_HEADER_BYTES + info.storedBytes();
    }
  }
}
