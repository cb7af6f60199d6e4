package io.tinykv.raft.storage.format;

import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A small file holding one checksummed record, replaced atomically (write a temporary file, fsync
 * it, rename it over the old one, fsync the directory). Used for the node's meta, the log's
 * compaction marker and snapshot metadata.
 *
 * <p>Format, big-endian: {@code u32 magic, u16 version, u16 reserved (0), u32 body length, u32
 * CRC32C} over the preceding 12 bytes and the body, then the body. A file whose size, magic,
 * version or checksum is wrong is corrupt; a crash can only leave a stray temporary file, never a
 * half-written record file.
 */
public final class RecordFile {

  /** Bytes before the body. */
  public static final int HEADER_BYTES = 16;

  private static final String TEMP_SUFFIX = ".tmp";

  private final int magic;
  private final short version;

  /**
   * @param magic identifies the kind of file
   * @param version the only format version this code reads and writes
   */
  public RecordFile(int magic, short version) {
    this.magic = magic;
    this.version = version;
  }

  /** The temporary file a write of {@code file} goes through; a stray one is safe to delete. */
  public static Path tempFileOf(Path file) {
    return file.resolveSibling(file.getFileName() + TEMP_SUFFIX);
  }

  /** Durably and atomically replaces {@code file} with one holding {@code body}. */
  public void write(FileChannelFactory channels, Path file, byte[] body) {
    ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + body.length);
    buffer.putInt(magic).putShort(version).putShort((short) 0).putInt(body.length);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, 12);
    crc.update(body);
    buffer.putInt((int) crc.getValue()).put(body).flip();
    Path temp = tempFileOf(file);
    try (FileChannel channel =
        channels.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException e) {
      throw Durability.fatal("write of " + temp, e);
    }
    Durability.atomicMove(channels, temp, file);
  }

  /**
   * Reads the body of {@code file}, or empty if there is no such file.
   *
   * @throws CorruptStorageException if the file exists but is not a complete, intact record
   */
  public Optional<byte[]> read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Durability.fatal("read of " + file, e);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (bytes.length < HEADER_BYTES) {
      throw new CorruptStorageException(file, 0, "shorter than its header: " + bytes.length + "B");
    }
    int foundMagic = buffer.getInt();
    short foundVersion = buffer.getShort();
    buffer.getShort();
    int length = buffer.getInt();
    int storedCrc = buffer.getInt();
    if (foundMagic != magic) {
      throw new CorruptStorageException(file, 0, "bad magic " + Integer.toHexString(foundMagic));
    }
    if (foundVersion != version) {
      throw new CorruptStorageException(file, 4, "unsupported format version " + foundVersion);
    }
    if (length != bytes.length - HEADER_BYTES) {
      throw new CorruptStorageException(
          file, 8, "body length " + length + " but " + (bytes.length - HEADER_BYTES) + "B stored");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 12);
    crc.update(bytes, HEADER_BYTES, length);
    if ((int) crc.getValue() != storedCrc) {
      throw new CorruptStorageException(file, 0, "checksum mismatch");
    }
    byte[] body = new byte[length];
    System.arraycopy(bytes, HEADER_BYTES, body, 0, length);
    return Optional.of(body);
  }
}
