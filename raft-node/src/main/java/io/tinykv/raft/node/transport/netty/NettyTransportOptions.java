package io.tinykv.raft.node.transport.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the Netty peer transport. Immutable; every combination that passes the constructor's
 * checks is valid.
 *
 * @param ioThreads event-loop threads shared by the listening socket, peer links and client
 *     connections (a small number: the work per message is tiny)
 * @param minBackoff the first reconnect delay after a failed or lost connection
 * @param maxBackoff the cap of the doubling reconnect delay
 * @param connectTimeout how long one TCP connect attempt may take
 * @param maxQueuedPerPeer messages handed to {@code send} but not yet written to a peer's channel;
 *     beyond that {@code send} drops
 * @param writeBufferLowBytes a peer's channel becomes writable again below this many buffered bytes
 * @param writeBufferHighBytes above this many bytes buffered for a peer's socket, {@code send}
 *     drops: the peer is not keeping up, and Raft will resend what it still needs
 * @param stallTimeout a dialled connection that has bytes waiting but takes none for this long is
 *     closed and redialled (the peer's host died or its process hung without closing the socket)
 */
public record NettyTransportOptions(
    int ioThreads,
    Duration minBackoff,
    Duration maxBackoff,
    Duration connectTimeout,
    int maxQueuedPerPeer,
    int writeBufferLowBytes,
    int writeBufferHighBytes,
    Duration stallTimeout) {

  /**
   * Two I/O threads, 50 ms .. 2 s backoff, 1 s connects, 4096 queued, 2 .. 8 MiB buffered, 10 s
   * stall timeout.
   */
  public static final NettyTransportOptions DEFAULTS =
      new NettyTransportOptions(
          2,
          Duration.ofMillis(50),
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          4096,
          2 * 1024 * 1024,
          8 * 1024 * 1024,
          Duration.ofSeconds(10));

  public NettyTransportOptions {
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be >= 1, got " + ioThreads);
    }
    requirePositive(minBackoff, "minBackoff");
    requirePositive(maxBackoff, "maxBackoff");
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(stallTimeout, "stallTimeout");
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is below minBackoff " + minBackoff);
    }
    if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("connectTimeout too long: " + connectTimeout);
    }
    if (maxQueuedPerPeer < 1) {
      throw new IllegalArgumentException("maxQueuedPerPeer must be >= 1, got " + maxQueuedPerPeer);
    }
    if (writeBufferLowBytes < 1 || writeBufferHighBytes < writeBufferLowBytes) {
      throw new IllegalArgumentException(
          "need 1 <= writeBufferLowBytes <= writeBufferHighBytes, got "
              + writeBufferLowBytes
              + " and "
              + writeBufferHighBytes);
    }
  }

  /** These options with another reconnect backoff range. */
  public NettyTransportOptions withBackoff(Duration min, Duration max) {
    return new NettyTransportOptions(
        ioThreads,
        min,
        max,
        connectTimeout,
        maxQueuedPerPeer,
        writeBufferLowBytes,
        writeBufferHighBytes,
        stallTimeout);
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }
}
