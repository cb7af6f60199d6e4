package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One chunk of a snapshot the leader sends a follower whose log is too far behind to catch up by
 * {@link AppendEntries} (Raft paper, section 7; chunked as in the dissertation, section 5.1).
 *
 * <p>The snapshot covers the log up to {@code lastIncludedIndex}/{@code lastIncludedTerm} and
 * carries the {@code membership} in force at that index. It is {@code totalSize} bytes long and
 * sent in order: this chunk holds bytes {@code [offset, offset + data.length)}, and {@code done}
 * marks the last one. {@code snapshotCrc32c} is the CRC32C of the whole snapshot (the same on every
 * chunk), which the follower checks once it has all bytes; {@link #chunkCrc32c()} is the CRC32C of
 * this chunk's data, computed here and checked by the wire codec, so a corrupted chunk never
 * reaches the core.
 *
 * <p>Invariants: indexes and terms are at least 1; {@code 0 <= offset}; {@code offset + data.length
 * <= totalSize}, with equality exactly when {@code done}.
 *
 * <p>The data array is owned by the message once constructed, as in {@link
 * io.tinykv.raft.protocol.LogEntry}: callers must not mutate it.
 */
public final class InstallSnapshot implements RaftMessage {

  private static final byte[] EMPTY = new byte[0];

  private final NodeId from;
  private final NodeId to;
  private final long term;
  private final long lastIncludedIndex;
  private final long lastIncludedTerm;
  private final Membership membership;
  private final long offset;
  private final byte[] data;
  private final long totalSize;
  private final boolean done;
  private final int snapshotCrc32c;
  private final int chunkCrc32c;

  public InstallSnapshot(
      NodeId from,
      NodeId to,
      long term,
      long lastIncludedIndex,
      long lastIncludedTerm,
      Membership membership,
      long offset,
      byte[] data,
      long totalSize,
      boolean done,
      int snapshotCrc32c) {
    Messages.requireHeader(from, to, term);
    Messages.requirePositive(lastIncludedIndex, "lastIncludedIndex");
    Messages.requirePositive(lastIncludedTerm, "lastIncludedTerm");
    Messages.requireNonNegative(offset, "offset");
    this.membership = Objects.requireNonNull(membership, "membership");
    this.data = data == null || data.length == 0 ? EMPTY : data;
    // Compared as "offset vs totalSize - length" so that no sum can overflow.
    long lastOffset = totalSize - this.data.length;
    if (totalSize < 0 || offset > lastOffset || done != (offset == lastOffset)) {
      throw new IllegalArgumentException(
          "chunk of "
              + this.data.length
              + " bytes at offset "
              + offset
              + " of a "
              + totalSize
              + "-byte snapshot cannot have done="
              + done);
    }
    this.from = from;
    this.to = to;
    this.term = term;
    this.lastIncludedIndex = lastIncludedIndex;
    this.lastIncludedTerm = lastIncludedTerm;
    this.offset = offset;
    this.totalSize = totalSize;
    this.done = done;
    this.snapshotCrc32c = snapshotCrc32c;
    CRC32C crc = new CRC32C();
    crc.update(this.data);
    this.chunkCrc32c = (int) crc.getValue();
  }

  @Override
  public NodeId from() {
    return from;
  }

  @Override
  public NodeId to() {
    return to;
  }

  @Override
  public long term() {
    return term;
  }

  public long lastIncludedIndex() {
    return lastIncludedIndex;
  }

  public long lastIncludedTerm() {
    return lastIncludedTerm;
  }

  public Membership membership() {
    return membership;
  }

  public long offset() {
    return offset;
  }

  /** This chunk's bytes; do not mutate them (see the class comment). */
  public byte[] data() {
    return data;
  }

  public long totalSize() {
    return totalSize;
  }

  public boolean done() {
    return done;
  }

  /** The CRC32C of the whole snapshot. */
  public int snapshotCrc32c() {
    return snapshotCrc32c;
  }

  /** The CRC32C of {@link #data()}. */
  public int chunkCrc32c() {
    return chunkCrc32c;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof InstallSnapshot other)) {
      return false;
    }
    return from.equals(other.from)
        && to.equals(other.to)
        && term == other.term
        && lastIncludedIndex == other.lastIncludedIndex
        && lastIncludedTerm == other.lastIncludedTerm
        && membership.equals(other.membership)
        && offset == other.offset
        && totalSize == other.totalSize
        && done == other.done
        && snapshotCrc32c == other.snapshotCrc32c
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(from, to, term, lastIncludedIndex, lastIncludedTerm, membership, offset);
    h = 31 * h + Long.hashCode(totalSize);
    h = 31 * h + Integer.hashCode(snapshotCrc32c);
    return 31 * h + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "InstallSnapshot{"
        + from
        + "->"
        + to
        + " term="
        + term
        + " snapshot="
        + lastIncludedIndex
        + "@"
        + lastIncludedTerm
        + " bytes=["
        + offset
        + ", "
        + (offset + data.length)
        + ") of "
        + totalSize
        + (done ? " done" : "")
        + "}";
  }
}
