package io.tinykv.raft.node.runtime.snapshot;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.storage.SnapshotInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One leader-to-follower snapshot transfer as a state machine driven by the caller's clock: {@link
 * #poll} says which chunks to send now, {@link #onResponse} takes the follower's answers. It has no
 * threads and reads time only from its arguments, so tests run it against a simulated lossy network
 * step by step.
 *
 * <p>Protocol (chunked InstallSnapshot, dissertation section 5.1, with flow control):
 *
 * <ul>
 *   <li>The follower answers each chunk with the offset it expects next ({@code nextOffset}): after
 *       an in-order chunk, the bytes it now holds; after a duplicate or a gap, where to resume. The
 *       transfer starts by sending one chunk (a probe), because a follower that kept a partial copy
 *       from an interrupted transfer answers with the offset where that copy ends, and the transfer
 *       resumes there instead of sending everything again.
 *   <li>At most {@code windowChunks} chunks travel unacknowledged; every byte sent, resends
 *       included, takes tokens from the node's shared {@link TokenBucket}.
 *   <li>With no answer for {@code resendAfter}, the unacknowledged chunks are sent again (go back
 *       N), and the wait doubles while no answer comes (up to eight times). With no progress for
 *       {@code idleTimeout}, the transfer fails.
 *   <li>The follower does not answer the final chunk at once: it verifies the whole snapshot and
 *       offers it to its consensus core; once the core accepted it and the snapshot is installed
 *       and durable, or the core declined it as not needed, the follower answers with the full
 *       size. That acknowledgement ({@link #isCompletion}) ends the transfer successfully. A
 *       rejection ({@code success == false}) says where the follower's copy ends: behind what it
 *       acknowledged before, it lost its copy (a failed checksum answers 0) and the transfer
 *       rewinds there; at the acknowledged offset, a chunk arrived after a gap, and after {@value
 *       #FAST_RESEND_AFTER} such answers the transfer resends from the gap. A bound on the bytes
 *       sent (eight times the snapshot) and the idle timeout end a transfer that cannot succeed,
 *       and the leader's core decides whether to try again.
 * </ul>
 *
 * <p>Threading: one thread (the node's snapshot sender).
 */
final class SnapshotTransfer {

  /** Where a transfer stands. */
  enum State {
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /** Reads the stored snapshot: up to {@code maxBytes} from {@code offset}. */
  interface ChunkSource {
    byte[] read(long offset, int maxBytes);
  }

  private final NodeId from;
  private final NodeId to;
  private final long term;
  private final SnapshotInfo info;
  private final ChunkSource source;
  private final SnapshotOptions options;
  private final TokenBucket bucket;
  private final long resendNanos;
  private final long idleNanos;

  /** A bound on all bytes sent, resends included, so that a looping transfer cannot run forever. */
  private final long maxBytesSent;

  /** The follower's acknowledged next offset: everything before it is staged there. */
  private long acked;

  /** The next byte to send. */
  private long sendOffset;

  /** True until the follower's first answer: only one chunk is in flight. */
  private boolean probing = true;

  private boolean finalChunkSent;

  /** Answers "a chunk is missing at {@link #acked}" since the last progress. */
  private int gapAnswers;

  /**
   * That many gap answers for the same offset resend from it at once, without waiting for {@code
   * resendAfter} (a reordered chunk causes one or two; a lost one, one per chunk after it).
   */
  private static final int FAST_RESEND_AFTER = 3;

  /** The bound on all bytes sent, as a multiple of the snapshot (plus a window). */
  private static final long MAX_SENDS_PER_BYTE = 8;

  /** Resends without an answer in between, each waiting twice as long as the one before. */
  private int silentResends;

  private long lastProgressNanos;
  private long lastHeardOrResentNanos;
  private long nextPollNanos;
  private long bytesSent;
  private long chunksSent;
  private State state = State.RUNNING;
  private String failure;

  SnapshotTransfer(
      NodeId from,
      NodeId to,
      long term,
      SnapshotInfo info,
      ChunkSource source,
      SnapshotOptions options,
      TokenBucket bucket,
      long nowNanos) {
    this.from = from;
    this.to = to;
    this.term = term;
    this.info = info;
    this.source = source;
    this.options = options;
    this.bucket = bucket;
    this.resendNanos = options.resendAfter().toNanos();
    this.idleNanos = options.idleTimeout().toNanos();
    this.maxBytesSent =
        MAX_SENDS_PER_BYTE
            * (info.storedBytes() + (long) options.chunkBytes() * options.windowChunks());
    this.lastProgressNanos = nowNanos;
    this.lastHeardOrResentNanos = nowNanos;
    this.nextPollNanos = nowNanos;
  }

  /**
   * The chunks to send now; afterwards {@link #nextPollNanos()} says when to call again (unless a
   * response arrives first).
   */
  List<InstallSnapshot> poll(long nowNanos) {
    List<InstallSnapshot> out = new ArrayList<>();
    if (state != State.RUNNING) {
      return out;
    }
    if (nowNanos - lastProgressNanos >= idleNanos) {
      fail("no progress for " + options.idleTimeout());
      return out;
    }
    if (sendOffset > acked || finalChunkSent) {
      if (nowNanos - lastHeardOrResentNanos >= resendDelay()) {
        // Go back N: the follower lost something or its answers were lost.
        rewindTo(acked);
        lastHeardOrResentNanos = nowNanos;
        silentResends++;
      }
    }
    long window = probing ? 1 : options.windowChunks();
    long wakeAt = Math.min(lastProgressNanos + idleNanos, lastHeardOrResentNanos + resendDelay());
    while (!finalChunkSent && inFlightChunks() < window) {
      int length = (int) Math.min(options.chunkBytes(), info.storedBytes() - sendOffset);
      long wait = bucket.tryTake(length, nowNanos);
      if (wait > 0) {
        wakeAt = Math.min(wakeAt, nowNanos + wait);
        break;
      }
      if (bytesSent + length > maxBytesSent) {
        fail("sent " + bytesSent + " bytes of a " + info.storedBytes() + "-byte snapshot");
        return out;
      }
      out.add(chunk(sendOffset, length));
      if (sendOffset == acked) {
        lastHeardOrResentNanos = nowNanos;
      }
      sendOffset += length;
      bytesSent += length;
      chunksSent++;
      finalChunkSent = sendOffset == info.storedBytes();
    }
    nextPollNanos = Math.max(nowNanos + 1, wakeAt);
    return out;
  }

  /** {@code resendAfter}, doubled for each resend that got no answer (a dead link), up to 8x. */
  private long resendDelay() {
    return resendNanos << Math.min(silentResends, 3);
  }

  private long inFlightChunks() {
    long bytes = sendOffset - acked;
    return (bytes + options.chunkBytes() - 1) / options.chunkBytes();
  }

  private InstallSnapshot chunk(long offset, int length) {
    byte[] data = length == 0 ? new byte[0] : source.read(offset, length);
    if (data.length != length) {
      throw new IllegalStateException(
          "snapshot " + info.meta() + " returned " + data.length + " bytes at " + offset);
    }
    return new InstallSnapshot(
        from,
        to,
        term,
        info.meta().lastIndex(),
        info.meta().lastTerm(),
        info.meta().membership(),
        offset,
        data,
        info.storedBytes(),
        offset + length == info.storedBytes(),
        info.crc32c());
  }

  /** Takes the follower's answer to this transfer (others are ignored). */
  void onResponse(InstallSnapshotResponse response, long nowNanos) {
    if (state != State.RUNNING
        || !response.from().equals(to)
        || response.lastIncludedIndex() != info.meta().lastIndex()) {
      return;
    }
    if (response.term() > term) {
      fail("the follower is in term " + response.term() + ", after this leader's " + term);
      return;
    }
    lastHeardOrResentNanos = nowNanos;
    silentResends = 0;
    probing = false;
    if (isCompletion(response)) {
      state = State.SUCCEEDED;
      return;
    }
    long next = Math.min(response.nextOffset(), info.storedBytes());
    boolean progress = next > acked;
    if (progress) {
      acked = next;
      lastProgressNanos = nowNanos;
      gapAnswers = 0;
    }
    if (response.success() || progress) {
      if (sendOffset < acked) {
        sendOffset = acked;
      }
      return;
    }
    if (next < acked) {
      // The follower lost or discarded its copy (a restart, a failed checksum): start over there.
      rewindTo(next);
    } else if (++gapAnswers == FAST_RESEND_AFTER) {
      // Chunks after a missing one keep arriving: the one at acked is lost, not just late.
      rewindTo(acked);
    }
  }

  private void rewindTo(long offset) {
    acked = offset;
    sendOffset = offset;
    finalChunkSent = false;
    gapAnswers = 0;
  }

  /**
   * The follower installed the snapshot durably, or its core declined it as not needed. Chunk
   * answers never claim the whole size: the final chunk is answered only by this completion.
   */
  private boolean isCompletion(InstallSnapshotResponse response) {
    return response.success() && response.nextOffset() >= info.storedBytes();
  }

  private void fail(String reason) {
    state = State.FAILED;
    failure = reason;
  }

  /** Ends the transfer from outside (a newer request for the peer, shutdown). */
  void abort(String reason) {
    if (state == State.RUNNING) {
      fail(reason);
    }
  }

  State state() {
    return state;
  }

  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  long nextPollNanos() {
    return nextPollNanos;
  }

  NodeId to() {
    return to;
  }

  long term() {
    return term;
  }

  SnapshotInfo info() {
    return info;
  }

  long bytesSent() {
    return bytesSent;
  }

  long chunksSent() {
    return chunksSent;
  }

  long ackedOffset() {
    return acked;
  }
}
