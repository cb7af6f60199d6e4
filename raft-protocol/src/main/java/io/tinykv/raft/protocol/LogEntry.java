package io.tinykv.raft.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * One immutable Raft log entry: its position (index), the term of the leader that created it, its
 * type, the leader's wall-clock timestamp at proposal (informational only; never used for
 * decisions), and the payload.
 *
 * <p>The payload array is owned by the entry once constructed: callers must not mutate the array
 * they passed in or the one {@link #payload()} returns. It is not copied so that large batches
 * travel from client to disk to wire without extra copies.
 */
public final class LogEntry {

  private static final byte[] EMPTY = new byte[0];

  /** Fixed bytes an entry costs besides its payload, used for batch size limits. */
  public static final int OVERHEAD_BYTES = 8 + 8 + 1 + 8 + 4;

  private final long index;
  private final long term;
  private final EntryType type;
  private final long timestamp;
  private final byte[] payload;

  public LogEntry(long index, long term, EntryType type, long timestamp, byte[] payload) {
    if (index < 1) {
      throw new IllegalArgumentException("entry index must be >= 1, got " + index);
    }
    if (term < 1) {
      throw new IllegalArgumentException("entry term must be >= 1, got " + term);
    }
    this.index = index;
    this.term = term;
    this.type = Objects.requireNonNull(type, "type");
    this.timestamp = timestamp;
    this.payload = payload == null || payload.length == 0 ? EMPTY : payload;
  }

  public static LogEntry command(long index, long term, long timestamp, byte[] payload) {
    return new LogEntry(index, term, EntryType.COMMAND, timestamp, payload);
  }

  public static LogEntry noOp(long index, long term, long timestamp) {
    return new LogEntry(index, term, EntryType.NO_OP, timestamp, EMPTY);
  }

  public long index() {
    return index;
  }

  public long term() {
    return term;
  }

  public EntryType type() {
    return type;
  }

  public long timestamp() {
    return timestamp;
  }

  /** The payload; do not mutate it (see the class comment). */
  public byte[] payload() {
    return payload;
  }

  /** The size this entry counts for in batch byte limits. */
  public long sizeInBytes() {
    return OVERHEAD_BYTES + (long) payload.length;
  }

  /** The same entry content at another position and term, used when a leader re-proposes. */
  public LogEntry withIndexAndTerm(long newIndex, long newTerm) {
    return new LogEntry(newIndex, newTerm, type, timestamp, payload);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LogEntry other)) {
      return false;
    }
    return index == other.index
        && term == other.term
        && type == other.type
        && timestamp == other.timestamp
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(index);
    h = 31 * h + Long.hashCode(term);
    h = 31 * h + type.hashCode();
    h = 31 * h + Long.hashCode(timestamp);
    return 31 * h + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LogEntry{" + index + "@" + term + " " + type + " " + payload.length + "B}";
  }
}
