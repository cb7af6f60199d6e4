package io.tinykv.raft.storage.snapshot;

import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.format.FieldCodec;
import io.tinykv.raft.storage.format.RecordFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The on-disk layout of one snapshot: a directory {@code <20-digit index>-<20-digit term>} holding
 *
 * <ul>
 *   <li>{@code data}: a 16-byte header ({@code u32 magic "TKVD", u16 version 1, u16 codec (1 =
 *       zstd), u64 reserved}) followed by the stored content, which {@link SnapshotInfo#crc32c()}
 *       covers;
 *   <li>{@code meta}: a {@link RecordFile} (magic "TKVP", version 2) with body {@code u64 index,
 *       u64 term, membership, u16 codec, u64 stored bytes, u32 CRC32C}.
 * </ul>
 *
 * Snapshots are assembled in a directory named {@code tmp-*} and renamed into place when complete.
 */
final class SnapshotFiles {

  static final String DATA = "data";
  static final String META = "meta";
  static final String TEMP_PREFIX = "tmp-";
  static final int DATA_HEADER_BYTES = 16;
  static final short CODEC_ZSTD = 1;

  private static final int DATA_MAGIC = 0x544B5644;
  private static final short VERSION = 1;

  /** Version 2 added the members' addresses to the membership. */
  private static final short META_VERSION = 2;

  private static final RecordFile META_FORMAT = new RecordFile(0x544B5650, META_VERSION);

  private SnapshotFiles() {}

  static String directoryName(SnapshotMeta meta) {
    return String.format(Locale.ROOT, "%020d-%020d", meta.lastIndex(), meta.lastTerm());
  }

  /** The last index a snapshot directory's name stands for, or empty if it is not one. */
  static OptionalLong indexOfDirectory(String name) {
    if (name.length() != 41 || name.charAt(20) != '-') {
      return OptionalLong.empty();
    }
    for (int i = 0; i < name.length(); i++) {
      if (i != 20 && !Character.isDigit(name.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
  }

  static ByteBuffer dataHeader() {
    ByteBuffer header = ByteBuffer.allocate(DATA_HEADER_BYTES);
    header.putInt(DATA_MAGIC).putShort(VERSION).putShort(CODEC_ZSTD).putLong(0);
    return header.flip();
  }

  /** What is wrong with a data file header, or null if it is one this code reads. */
  static String dataHeaderProblem(ByteBuffer header) {
    if (header.remaining() < DATA_HEADER_BYTES) {
      return "data header cut short";
    }
    if (header.getInt(0) != DATA_MAGIC) {
      return "not a snapshot data file";
    }
    if (header.getShort(4) != VERSION || header.getShort(6) != CODEC_ZSTD) {
      return "unsupported version " + header.getShort(4) + " or codec " + header.getShort(6);
    }
    return null;
  }

  static void writeMeta(FileChannelFactory channels, Path dir, SnapshotInfo info) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(info.meta().lastIndex());
      out.writeLong(info.meta().lastTerm());
      FieldCodec.writeMembership(out, info.meta().membership());
      out.writeShort(CODEC_ZSTD);
      out.writeLong(info.storedBytes());
      out.writeInt(info.crc32c());
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    META_FORMAT.write(channels, dir.resolve(META), bytes.toByteArray());
  }

  /**
   * Reads a snapshot directory's meta.
   *
   * @throws CorruptStorageException if it is missing, damaged or does not match the directory name
   */
  static SnapshotInfo readMeta(Path dir) {
    Path file = dir.resolve(META);
    byte[] body =
        META_FORMAT
            .read(file)
            .orElseThrow(() -> new CorruptStorageException(file, -1, "snapshot meta is missing"));
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
      long index = in.readLong();
      long term = in.readLong();
      SnapshotMeta meta = new SnapshotMeta(index, term, FieldCodec.readMembership(in));
      short codec = in.readShort();
      SnapshotInfo info = new SnapshotInfo(meta, in.readLong(), in.readInt());
      if (codec != CODEC_ZSTD || !dir.getFileName().toString().equals(directoryName(meta))) {
        throw new IOException("codec " + codec + " or name does not match " + meta);
      }
      return info;
    } catch (IOException | IllegalArgumentException e) {
      throw new CorruptStorageException(file, RecordFile.HEADER_BYTES, e.toString(), e);
    }
  }
}
