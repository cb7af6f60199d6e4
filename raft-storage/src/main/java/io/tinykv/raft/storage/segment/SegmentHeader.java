package io.tinykv.raft.storage.segment;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The fixed header that opens every segment file, big-endian: {@code u32 magic "TKVL", u16 version,
 * u16 reserved (0), u64 first index, u32 CRC32C} of the preceding 16 bytes. The file is named after
 * its first index, zero-padded to 20 digits, with the suffix {@code .seg}.
 */
final class SegmentHeader {

  static final int MAGIC = 0x544B564C;
  static final short VERSION = 1;
  static final int BYTES = 20;

  private static final String SUFFIX = ".seg";
  private static final int DIGITS = 20;

  private SegmentHeader() {}

  static String fileName(long firstIndex) {
    return String.format(Locale.ROOT, "%0" + DIGITS + "d%s", firstIndex, SUFFIX);
  }

  /** The first index a segment file name stands for, or empty if it is not a segment's name. */
  static OptionalLong parseFileName(String name) {
    if (name.length() != DIGITS + SUFFIX.length() || !name.endsWith(SUFFIX)) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < DIGITS; i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseLong(name.substring(0, DIGITS)));
  }

  static ByteBuffer encode(long firstIndex) {
    ByteBuffer buffer = ByteBuffer.allocate(BYTES);
    buffer.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(firstIndex);
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), 0, 16);
    return buffer.putInt((int) crc.getValue()).flip();
  }

  /** What is wrong with a header that should name {@code firstIndex}, or null if it is right. */
  static String problem(ByteBuffer header, long firstIndex) {
    if (header.remaining() < BYTES) {
      return "header cut short at " + header.remaining() + "B";
    }
    CRC32C crc = new CRC32C();
    crc.update(header.duplicate().position(0).limit(16));
    if ((int) crc.getValue() != header.getInt(16)) {
      return "header checksum mismatch";
    }
    if (header.getInt(0) != MAGIC) {
      return "not a segment file (magic " + Integer.toHexString(header.getInt(0)) + ")";
    }
    if (header.getShort(4) != VERSION) {
      return "unsupported segment format version " + header.getShort(4);
    }
    if (header.getLong(8) != firstIndex) {
      return "header names first index " + header.getLong(8) + ", file name " + firstIndex;
    }
    return null;
  }
}
