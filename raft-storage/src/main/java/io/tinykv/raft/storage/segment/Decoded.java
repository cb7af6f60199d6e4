package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;

/**
 * The outcome of decoding one record: an entry, a seal, a record cut short by the end of the
 * available bytes, or a damaged record.
 *
 * @param kind what was found
 * @param entry the entry, for {@link Kind#ENTRY}
 * @param recordBytes the size of the record, for {@link Kind#ENTRY}
 * @param sealIndex the last index a seal record names, for {@link Kind#SEAL}
 * @param sealTerm the last term a seal record names, for {@link Kind#SEAL}
 * @param problem what is wrong, for {@link Kind#INCOMPLETE} and {@link Kind#CORRUPT}
 */
record Decoded(
    Kind kind, LogEntry entry, int recordBytes, long sealIndex, long sealTerm, String problem) {

  enum Kind {
    ENTRY,
    SEAL,
    /** The record runs past the bytes available; more must be read to know. */
    NEED_MORE,
    /** The record runs past the end of the file. */
    INCOMPLETE,
    CORRUPT
  }

  static Decoded entry(LogEntry entry, int recordBytes) {
    return new Decoded(Kind.ENTRY, entry, recordBytes, 0, 0, "");
  }

  static Decoded seal(long lastIndex, long lastTerm) {
    return new Decoded(Kind.SEAL, null, RecordCodec.SEAL_RECORD_BYTES, lastIndex, lastTerm, "");
  }

  static Decoded incomplete(String problem, boolean fileHasMore) {
    return new Decoded(fileHasMore ? Kind.NEED_MORE : Kind.INCOMPLETE, null, 0, 0, 0, problem);
  }

  static Decoded corrupt(String problem) {
    return new Decoded(Kind.CORRUPT, null, 0, 0, 0, problem);
  }
}
