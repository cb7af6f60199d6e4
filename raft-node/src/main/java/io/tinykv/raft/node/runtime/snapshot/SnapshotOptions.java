package io.tinykv.raft.node.runtime.snapshot;

import java.time.Duration;
import java.util.Objects;

/**
 * When a node snapshots its state machine, how much log it keeps, and how a leader streams a
 * snapshot to a follower. Immutable; every combination that passes the constructor's checks is
 * valid.
 *
 * @param entriesThreshold take a snapshot once this many entries were applied since the last one
 * @param bytesThreshold ... or once their payloads add up to this many bytes
 * @param retainEntries entries kept in the log below a new snapshot, so that a slightly lagging
 *     follower still catches up from the log instead of by snapshot
 * @param chunkBytes the data carried by one {@code InstallSnapshot} message
 * @param windowChunks chunks a leader sends ahead of the follower's acknowledgement
 * @param bytesPerSecond the bandwidth all of a node's outgoing snapshot transfers share (a token
 *     bucket), so that a large transfer cannot crowd out heartbeats and appends
 * @param resendAfter a chunk not acknowledged within this time is sent again, with those after it
 * @param idleTimeout a transfer that makes no progress for this long fails; the leader retries
 *     later and the follower resumes where it stopped
 */
public record SnapshotOptions(
    long entriesThreshold,
    long bytesThreshold,
    long retainEntries,
    int chunkBytes,
    int windowChunks,
    long bytesPerSecond,
    Duration resendAfter,
    Duration idleTimeout) {

  /**
   * Every 100,000 entries or 64 MiB applied; 10,000 entries retained; 256 KiB chunks, 4 in flight,
   * 32 MiB/s; resend after 1 s, give up after 30 s without progress.
   */
  public static final SnapshotOptions DEFAULTS =
      new SnapshotOptions(
          100_000,
          64L << 20,
          10_000,
          256 << 10,
          4,
          32L << 20,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30));

  /** The largest chunk: well under the peer protocol's 16 MiB frame limit. */
  public static final int MAX_CHUNK_BYTES = 4 << 20;

  public SnapshotOptions {
    requireAtLeast(entriesThreshold, 1, "entriesThreshold");
    requireAtLeast(bytesThreshold, 1, "bytesThreshold");
    requireAtLeast(retainEntries, 0, "retainEntries");
    if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException(
          "chunkBytes must be in [1, " + MAX_CHUNK_BYTES + "], got " + chunkBytes);
    }
    requireAtLeast(windowChunks, 1, "windowChunks");
    if (bytesPerSecond < chunkBytes) {
      throw new IllegalArgumentException(
          "bytesPerSecond must be at least chunkBytes (" + chunkBytes + "), got " + bytesPerSecond);
    }
    requirePositive(resendAfter, "resendAfter");
    requirePositive(idleTimeout, "idleTimeout");
    if (idleTimeout.compareTo(resendAfter) <= 0) {
      throw new IllegalArgumentException(
          "idleTimeout " + idleTimeout + " must be longer than resendAfter " + resendAfter);
    }
  }

  /** These options with other snapshot thresholds and log tail. */
  public SnapshotOptions withThresholds(long entries, long bytes, long retain) {
    return new SnapshotOptions(
        entries, bytes, retain, chunkBytes, windowChunks, bytesPerSecond, resendAfter, idleTimeout);
  }

  /** These options with another transfer shape and bandwidth. */
  public SnapshotOptions withTransfer(int chunk, int window, long rate) {
    return new SnapshotOptions(
        entriesThreshold,
        bytesThreshold,
        retainEntries,
        chunk,
        window,
        rate,
        resendAfter,
        idleTimeout);
  }

  private static void requireAtLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
