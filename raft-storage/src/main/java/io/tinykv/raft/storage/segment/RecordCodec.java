package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The record format of segment files, big-endian:
 *
 * <pre>
 * u32 body length | u32 CRC32C over the length field and the body | body
 * entry body: u8 1 | u64 index | u64 term | u8 entry type code | u64 timestamp | payload
 * seal body:  u8 2 | u64 last index | u64 last term
 * </pre>
 *
 * A seal record closes a segment once its successor exists; it is always the last record.
 */
final class RecordCodec {

  static final int FRAME_BYTES = 8;
  static final byte TYPE_ENTRY = 1;
  static final byte TYPE_SEAL = 2;
  static final int ENTRY_FIELDS = 1 + 8 + 8 + 1 + 8;
  static final int ENTRY_OVERHEAD = FRAME_BYTES + ENTRY_FIELDS;
  static final int SEAL_BODY = 1 + 8 + 8;
  static final int SEAL_RECORD_BYTES = FRAME_BYTES + SEAL_BODY;

  private RecordCodec() {}

  static int recordBytes(LogEntry entry) {
    return ENTRY_OVERHEAD + entry.payload().length;
  }

  /** The {@link LogEntry#sizeInBytes()} of the entry stored in a record of {@code recordBytes}. */
  static long entrySize(int recordBytes) {
    return recordBytes - ENTRY_OVERHEAD + (long) LogEntry.OVERHEAD_BYTES;
  }

  /** Appends the record of {@code entry} at the buffer's position. */
  static void putEntry(ByteBuffer out, LogEntry entry, CRC32C crc) {
    int start = out.position();
    out.putInt(ENTRY_FIELDS + entry.payload().length).putInt(0);
    out.put(TYPE_ENTRY).putLong(entry.index()).putLong(entry.term());
    out.put(entry.type().code()).putLong(entry.timestamp()).put(entry.payload());
    out.putInt(start + 4, checksum(out, start, out.position(), crc));
  }

  /** Appends a seal record at the buffer's position. */
  static void putSeal(ByteBuffer out, long lastIndex, long lastTerm, CRC32C crc) {
    int start = out.position();
    out.putInt(SEAL_BODY).putInt(0).put(TYPE_SEAL).putLong(lastIndex).putLong(lastTerm);
    out.putInt(start + 4, checksum(out, start, out.position(), crc));
  }

  private static int checksum(ByteBuffer buffer, int start, int end, CRC32C crc) {
    crc.reset();
    ByteBuffer view = buffer.duplicate();
    view.limit(start + 4).position(start);
    crc.update(view);
    view.limit(end).position(start + FRAME_BYTES);
    crc.update(view);
    return (int) crc.getValue();
  }

  /**
   * Decodes the record at {@code start} of {@code buffer}, whose bytes up to {@code end} are the
   * rest of the file (or all of it that was read).
   *
   * @param maxBody the largest body accepted; a larger length field is damage
   * @param fileHasMore true if bytes beyond {@code end} exist in the file, so that a record running
   *     past {@code end} is not yet known to be incomplete
   */
  static Decoded decode(ByteBuffer buffer, int start, int end, int maxBody, boolean fileHasMore) {
    if (end - start < FRAME_BYTES) {
      return Decoded.incomplete("a partial record header", fileHasMore);
    }
    int length = buffer.getInt(start);
    if (length < SEAL_BODY || length > maxBody) {
      return Decoded.corrupt("impossible record length " + length);
    }
    if (end - start - FRAME_BYTES < length) {
      return Decoded.incomplete("a record of " + length + "B cut short", fileHasMore);
    }
    CRC32C crc = new CRC32C();
    if (checksum(buffer, start, start + FRAME_BYTES + length, crc) != buffer.getInt(start + 4)) {
      return Decoded.corrupt("checksum mismatch");
    }
    int p = start + FRAME_BYTES;
    byte type = buffer.get(p);
    if (type == TYPE_SEAL && length == SEAL_BODY) {
      return Decoded.seal(buffer.getLong(p + 1), buffer.getLong(p + 9));
    }
    if (type != TYPE_ENTRY || length < ENTRY_FIELDS) {
      return Decoded.corrupt("unknown record type " + type + " of " + length + "B");
    }
    long index = buffer.getLong(p + 1);
    long term = buffer.getLong(p + 9);
    byte code = buffer.get(p + 17);
    long timestamp = buffer.getLong(p + 18);
    byte[] payload = new byte[length - ENTRY_FIELDS];
    buffer.get(p + ENTRY_FIELDS, payload);
    try {
      LogEntry entry = new LogEntry(index, term, EntryType.fromCode(code), timestamp, payload);
      return Decoded.entry(entry, FRAME_BYTES + length);
    } catch (IllegalArgumentException e) {
      return Decoded.corrupt("invalid entry: " + e.getMessage());
    }
  }

  /**
   * True if a record that passes its checksum and holds an entry with an index in {@code [minIndex,
   * maxIndex]} starts anywhere in {@code [start, end)}: used to tell a torn tail (only garbage
   * follows the bad record) from damage in the middle (intact records follow).
   */
  static boolean anyIntactEntry(
      ByteBuffer buffer, int start, int end, long minIndex, long maxIndex, int maxBody) {
    for (int p = start; p + ENTRY_OVERHEAD <= end; p++) {
      if (buffer.get(p + FRAME_BYTES) != TYPE_ENTRY) {
        continue;
      }
      long index = buffer.getLong(p + FRAME_BYTES + 1);
      if (index < minIndex || index > maxIndex) {
        continue;
      }
      if (decode(buffer, p, end, maxBody, false).kind() == Decoded.Kind.ENTRY) {
        return true;
      }
    }
    return false;
  }
}
