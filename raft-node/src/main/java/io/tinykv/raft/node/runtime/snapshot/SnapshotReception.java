package io.tinykv.raft.node.runtime.snapshot;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotMismatchException;
import io.tinykv.raft.storage.SnapshotReceiver;
import io.tinykv.raft.storage.SnapshotStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's side of snapshot transfers (see {@link SnapshotTransfer} for the protocol): stages
 * the chunks of one snapshot at a time through {@link SnapshotStore#receive}, answers each with the
 * offset it expects next, keeps a partial copy across interruptions so that a new transfer of the
 * same snapshot resumes where the last one stopped, verifies the whole snapshot's size and CRC32C,
 * and then asks for it to be offered to the consensus core. Once the core accepts it, the log
 * writer {@linkplain #takeAccepted takes} the verified copy and installs it.
 *
 * <p>Threading: {@link #onChunk} runs on the node's snapshot-receiving thread, {@link #offered} on
 * the consensus thread and {@link #takeAccepted} on the log writer; each method holds this object's
 * lock, and only {@link #onChunk} does I/O under it (one chunk's write).
 */
final class SnapshotReception {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReception.class);

  /** What to do after a chunk. */
  sealed interface Step permits Reply, Offer, Ignore {}

  /** Send this answer to the leader. */
  record Reply(InstallSnapshotResponse response) implements Step {}

  /** The snapshot is complete and verified: offer it to the core, then call {@link #offered}. */
  record Offer(NodeId leader, long term, SnapshotMeta meta) implements Step {}

  /** Nothing to send (a duplicate while the core decides, or a snapshot this node cannot take). */
  record Ignore(String why) implements Step {}

  /**
   * An accepted snapshot for the log writer to install, and the answer that then ends the leader's
   * transfer.
   */
  record Accepted(SnapshotReceiver receiver, InstallSnapshotResponse completion) {}

  private enum Phase {
    RECEIVING,
    OFFERED,
    ACCEPTED
  }

  private final NodeId self;
  private final SnapshotStore store;

  /** The snapshot being received, or null. */
  private SnapshotInfo expected;

  private SnapshotReceiver staged;
  private Phase phase;

  /** The leader that sent the last chunk of {@link #expected}, and its term. */
  private NodeId leader;

  private long leaderTerm;

  SnapshotReception(NodeId self, SnapshotStore store) {
    this.self = self;
    this.store = store;
  }

  /**
   * Handles one chunk.
   *
   * @param currentTerm this node's term as last published; an older leader's chunk is refused with
   *     it, so that the leader learns it was deposed
   */
  synchronized Step onChunk(InstallSnapshot chunk, long currentTerm) {
    long term = Math.max(currentTerm, chunk.term());
    if (chunk.term() < currentTerm) {
      return reply(chunk, term, 0, false);
    }
    SnapshotInfo info =
        new SnapshotInfo(
            new SnapshotMeta(
                chunk.lastIncludedIndex(), chunk.lastIncludedTerm(), chunk.membership()),
            chunk.totalSize(),
            chunk.snapshotCrc32c());
    if (!info.equals(expected)) {
      if (expected != null && phase != Phase.RECEIVING) {
        return new Ignore("snapshot " + expected.meta() + " is with the consensus core");
      }
      Optional<SnapshotInfo> latest = store.latest();
      if (latest.isPresent() && latest.get().meta().lastIndex() >= chunk.lastIncludedIndex()) {
        // Installed already (the completion was lost) or overtaken: nothing more is needed.
        return reply(chunk, term, chunk.totalSize(), true);
      }
      discard();
      if (chunk.offset() != 0) {
        // Nothing staged for it: start from the beginning.
        return reply(chunk, term, 0, false);
      }
      expected = info;
      staged = store.receive(info);
      phase = Phase.RECEIVING;
      LOG.info(
          "{}: receiving snapshot {} ({} bytes) from {}",
          self,
          info.meta(),
          chunk.totalSize(),
          chunk.from());
    } else if (phase != Phase.RECEIVING) {
      return new Ignore("snapshot " + expected.meta() + " is with the consensus core");
    }
    leader = chunk.from();
    leaderTerm = chunk.term();
    long received = staged.receivedBytes();
    if (chunk.offset() != received) {
      // A duplicate (behind) or a gap (ahead): tell the leader where to continue.
      return reply(chunk, term, received, chunk.offset() < received);
    }
    staged.write(chunk.offset(), chunk.data());
    if (!chunk.done()) {
      return reply(chunk, term, staged.receivedBytes(), true);
    }
    try {
      staged.verify();
    } catch (SnapshotMismatchException e) {
      LOG.warn(
          "{}: snapshot {} from {} failed verification: {}",
          self,
          info.meta(),
          chunk.from(),
          e.getMessage());
      staged = null;
      expected = null;
      return reply(chunk, term, 0, false);
    }
    phase = Phase.OFFERED;
    return new Offer(chunk.from(), chunk.term(), info.meta());
  }

  /**
   * The core's answer to the offer of {@code meta}: keep it for installing, or discard it.
   *
   * @param currentTerm the core's term after deciding
   * @return on a refusal, the answer that ends the leader's transfer: complete (the node needs no
   *     snapshot), stamped with {@code currentTerm} so that a deposed leader learns of it
   */
  synchronized Optional<InstallSnapshotResponse> offered(
      SnapshotMeta meta, boolean accepted, long currentTerm) {
    if (expected == null || !expected.meta().equals(meta) || phase != Phase.OFFERED) {
      return Optional.empty();
    }
    if (accepted) {
      phase = Phase.ACCEPTED;
      return Optional.empty();
    }
    LOG.info("{}: the consensus core declined snapshot {}; discarding it", self, meta);
    InstallSnapshotResponse done = completion(Math.max(currentTerm, leaderTerm));
    discard();
    return Optional.of(done);
  }

  private InstallSnapshotResponse completion(long term) {
    return new InstallSnapshotResponse(
        self, leader, term, expected.meta().lastIndex(), expected.storedBytes(), true);
  }

  /**
   * Hands over the verified copy of the snapshot the core accepted, for the log writer to install
   * with {@link SnapshotReceiver#commit()}, and the answer to send the leader once it is durable.
   *
   * @throws IllegalStateException if no accepted snapshot has that meta (a broken contract: stop)
   */
  synchronized Accepted takeAccepted(SnapshotMeta meta) {
    if (expected == null || !expected.meta().equals(meta) || phase != Phase.ACCEPTED) {
      throw new IllegalStateException(
          "asked to install snapshot "
              + meta
              + " but the accepted one is "
              + (phase == Phase.ACCEPTED ? expected.meta() : "none"));
    }
    Accepted accepted = new Accepted(staged, completion(leaderTerm));
    staged = null;
    expected = null;
    phase = null;
    return accepted;
  }

  /** Bytes staged of the snapshot being received (0 if none), for tests and status. */
  synchronized long stagedBytes() {
    return staged == null ? 0 : staged.receivedBytes();
  }

  /** Discards any staged copy; called when the node stops. */
  synchronized void discard() {
    if (staged != null) {
      staged.close();
    }
    staged = null;
    expected = null;
    phase = null;
  }

  private InstallSnapshotResponse response(
      InstallSnapshot chunk, long term, long next, boolean ok) {
    return new InstallSnapshotResponse(
        self, chunk.from(), term, chunk.lastIncludedIndex(), next, ok);
  }

  private Reply reply(InstallSnapshot chunk, long term, long next, boolean ok) {
    return new Reply(response(chunk, term, next, ok));
  }
}
