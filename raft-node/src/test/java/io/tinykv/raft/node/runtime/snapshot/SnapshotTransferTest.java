package io.tinykv.raft.node.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.snapshot.FileSnapshotStore;
import io.tinykv.raft.storage.snapshot.SnapshotConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader's {@link SnapshotTransfer} against a follower's {@link SnapshotReception} over a
 * simulated network that loses, duplicates and reorders messages, on a simulated clock: every run
 * is deterministic for its seed, which a failure prints.
 */
class SnapshotTransferTest {

  private static final NodeId LEADER = NodeId.of("leader");
  private static final NodeId FOLLOWER = NodeId.of("follower");
  private static final long TERM = 3;
  private static final long MS = 1_000_000;
  private static final int CHUNK = 4096;
  private static final int SNAPSHOT_BYTES = 200_000;

  private static final SnapshotOptions OPTIONS =
      new SnapshotOptions(
          1000, 1 << 20, 100, CHUNK, 4, 1L << 20, Duration.ofMillis(50), Duration.ofSeconds(5));

  @TempDir Path dir;

  private FileSnapshotStore leaderStore;
  private FileSnapshotStore followerStore;
  private SnapshotInfo info;
  private SnapshotReader reader;
  private byte[] content;

  @BeforeEach
  void snapshotOnTheLeader() throws IOException {
    leaderStore =
        FileSnapshotStore.open(
            dir.resolve("leader"), SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT);
    followerStore =
        FileSnapshotStore.open(
            dir.resolve("follower"), SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT);
    content = new byte[SNAPSHOT_BYTES];
    new SplittableRandom(7).nextBytes(content);
    SnapshotMeta meta = new SnapshotMeta(1000, 2, Membership.ofVoters(Set.of(LEADER, FOLLOWER)));
    info = new LocalSnapshots(leaderStore).write(meta, out -> out.write(content)).orElseThrow();
    reader = leaderStore.open(info);
  }

  @AfterEach
  void close() {
    reader.close();
  }

  /** A message in flight, due at a simulated time; ties broken by send order. */
  private record InFlight(long due, long order, RaftMessage message) {}

  /** A lossy, duplicating, reordering network and the follower's side with a simulated core. */
  private final class World {
    final SplittableRandom random;
    final double loss;
    final double duplication;
    final long maxDelayNanos;
    final PriorityQueue<InFlight> inFlight =
        new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    final SnapshotReception reception = new SnapshotReception(FOLLOWER, followerStore);
    final LocalSnapshots followerSnapshots = new LocalSnapshots(followerStore);
    boolean cut;
    boolean coreAccepts = true;
    long order;
    long now;
    int offers;

    World(long seed, double loss, double duplication, long maxDelayNanos) {
      this.random = new SplittableRandom(seed);
      this.loss = loss;
      this.duplication = duplication;
      this.maxDelayNanos = maxDelayNanos;
    }

    void send(RaftMessage m) {
      if (cut || random.nextDouble() < loss) {
        return;
      }
      int copies = random.nextDouble() < duplication ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        long delay = maxDelayNanos == 0 ? 0 : random.nextLong(maxDelayNanos);
        inFlight.add(new InFlight(now + delay, order++, m));
      }
    }

    /** Runs {@code transfer} until it ends or {@code limitNanos} of simulated time pass. */
    void run(SnapshotTransfer transfer, long limitNanos) {
      long end = now + limitNanos;
      long nextPoll = now;
      while (transfer.state() == SnapshotTransfer.State.RUNNING && now < end) {
        if (now >= nextPoll) {
          transfer.poll(now).forEach(this::send);
          nextPoll = transfer.nextPollNanos();
        }
        while (!inFlight.isEmpty() && inFlight.peek().due() <= now) {
          RaftMessage m = inFlight.poll().message();
          if (m instanceof InstallSnapshot chunk) {
            onChunk(chunk);
          } else if (m instanceof InstallSnapshotResponse r) {
            transfer.onResponse(r, now);
            nextPoll = now;
          }
        }
        now += MS / 4;
      }
    }

    /** The follower: stage, answer, and on a complete snapshot play the consensus core. */
    void onChunk(InstallSnapshot chunk) {
      SnapshotReception.Step step = reception.onChunk(chunk, TERM);
      if (step instanceof SnapshotReception.Reply reply) {
        send(reply.response());
      } else if (step instanceof SnapshotReception.Offer offer) {
        offers++;
        reception.offered(offer.meta(), coreAccepts, TERM).ifPresent(this::send);
        if (coreAccepts) {
          SnapshotReception.Accepted accepted = reception.takeAccepted(offer.meta());
          followerSnapshots.install(accepted.receiver());
          send(accepted.completion());
        }
      }
    }
  }

  private SnapshotTransfer transfer(World world, TokenBucket bucket) {
    return new SnapshotTransfer(
        LEADER, FOLLOWER, TERM, info, reader::readChunk, OPTIONS, bucket, world.now);
  }

  private TokenBucket bucket(World world) {
    return TokenBucket.forOptions(OPTIONS, world.now);
  }

  private byte[] followerContent() throws IOException {
    try (SnapshotReader copy = followerStore.open(followerStore.latest().orElseThrow());
        InputStream in = copy.openContent()) {
      return in.readAllBytes();
    }
  }

  @Test
  void anOrderedLosslessNetworkCarriesEachByteOnce() throws IOException {
    World world = new World(1, 0, 0, 0);
    SnapshotTransfer transfer = transfer(world, bucket(world));
    world.run(transfer, 60_000 * MS);
    assertThat(transfer.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    assertThat(transfer.bytesSent()).isEqualTo(info.storedBytes());
    assertThat(world.offers).isEqualTo(1);
    assertThat(followerStore.latest()).contains(info);
    assertThat(followerContent()).isEqualTo(content);
  }

  @Test
  void lossDuplicationAndReorderingStillDeliverAnIntactSnapshot() throws IOException {
    for (long seed = 1; seed <= 40; seed++) {
      Path followerDir = dir.resolve("follower-" + seed);
      followerStore =
          FileSnapshotStore.open(followerDir, SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT);
      World world = new World(seed, 0.15, 0.15, 20 * MS);
      SnapshotTransfer transfer = transfer(world, bucket(world));
      world.run(transfer, 120_000 * MS);
      String replay = "seed " + seed + " (loss 0.15, duplication 0.15, delay < 20 ms)";
      assertThat(transfer.state())
          .as(replay + ": " + transfer.failure().orElse(""))
          .isEqualTo(SnapshotTransfer.State.SUCCEEDED);
      assertThat(followerStore.latest()).as(replay).contains(info);
      assertThat(followerContent()).as(replay).isEqualTo(content);
      assertThat(world.offers).as(replay).isEqualTo(1);
    }
  }

  @Test
  void reorderingAloneCostsFewResends() {
    World world = new World(9, 0, 0, 3 * MS);
    SnapshotTransfer transfer = transfer(world, bucket(world));
    world.run(transfer, 60_000 * MS);
    assertThat(transfer.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    assertThat(transfer.bytesSent()).isLessThan(info.storedBytes() * 3 / 2);
  }

  @Test
  void anInterruptedTransferResumesWhereTheFollowerStopped() throws IOException {
    World world = new World(3, 0, 0, 0);
    SnapshotTransfer first = transfer(world, bucket(world));
    // Half the snapshot gets through, then the link goes dead until the transfer gives up.
    while (world.reception.stagedBytes() < SNAPSHOT_BYTES / 2) {
      world.run(first, MS);
    }
    world.cut = true;
    world.run(first, 60_000 * MS);
    assertThat(first.state()).isEqualTo(SnapshotTransfer.State.FAILED);
    assertThat(first.failure()).hasValueSatisfying(f -> assertThat(f).contains("no progress"));
    long staged = world.reception.stagedBytes();
    assertThat(staged).isBetween((long) SNAPSHOT_BYTES / 4, (long) SNAPSHOT_BYTES * 3 / 4);

    world.cut = false;
    world.inFlight.clear();
    SnapshotTransfer second = transfer(world, bucket(world));
    world.run(second, 60_000 * MS);
    assertThat(second.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    // The probe chunk from offset 0, then only what the follower did not have.
    assertThat(second.bytesSent()).isEqualTo(CHUNK + info.storedBytes() - staged);
    assertThat(followerContent()).isEqualTo(content);
  }

  @Test
  void theBandwidthLimitHoldsOverEveryInterval() {
    World world = new World(4, 0, 0, 0);
    TokenBucket bucket = bucket(world);
    SnapshotTransfer transfer = transfer(world, bucket);
    long start = world.now;
    List<long[]> sends = new ArrayList<>();
    long lastSent = 0;
    while (transfer.state() == SnapshotTransfer.State.RUNNING) {
      world.run(transfer, MS);
      if (transfer.bytesSent() != lastSent) {
        sends.add(new long[] {world.now - start, transfer.bytesSent()});
        lastSent = transfer.bytesSent();
      }
    }
    assertThat(transfer.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    // Counting, not timing: bytes sent by simulated time t never exceed capacity + rate * t.
    for (long[] s : sends) {
      double allowed = bucket.capacity() + OPTIONS.bytesPerSecond() * (s[0] / 1e9) + CHUNK;
      assertThat((double) s[1]).as("by t=%d ns", s[0]).isLessThanOrEqualTo(allowed);
    }
    double seconds = (world.now - start) / 1e9;
    double expected = (info.storedBytes() - bucket.capacity()) / (double) OPTIONS.bytesPerSecond();
    assertThat(seconds).as("the limit is what paced the transfer").isGreaterThan(expected * 0.9);
  }

  @Test
  void aChecksumMismatchDiscardsTheCopyAndTheTransferEndsFailed() {
    World world = new World(5, 0, 0, MS);
    SnapshotInfo lying = new SnapshotInfo(info.meta(), info.storedBytes(), info.crc32c() ^ 1);
    SnapshotTransfer transfer =
        new SnapshotTransfer(
            LEADER, FOLLOWER, TERM, lying, reader::readChunk, OPTIONS, bucket(world), world.now);
    world.run(transfer, 600_000 * MS);
    assertThat(transfer.state()).isEqualTo(SnapshotTransfer.State.FAILED);
    assertThat(transfer.failure()).hasValueSatisfying(f -> assertThat(f).startsWith("sent "));
    assertThat(world.offers).isZero();
    assertThat(followerStore.latest()).isEmpty();
  }

  @Test
  void aSnapshotTheCoreDeclinesEndsTheTransferWithoutInstallingIt() {
    World world = new World(6, 0, 0, MS);
    world.coreAccepts = false;
    SnapshotTransfer transfer = transfer(world, bucket(world));
    world.run(transfer, 60_000 * MS);
    assertThat(transfer.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    assertThat(world.offers).isEqualTo(1);
    assertThat(followerStore.latest()).isEmpty();
    assertThat(world.reception.stagedBytes()).isZero();
  }

  @Test
  void aDeposedLeaderLearnsTheNewerTermAndStops() {
    World world = new World(7, 0, 0, MS);
    SnapshotTransfer stale =
        new SnapshotTransfer(
            LEADER, FOLLOWER, TERM - 1, info, reader::readChunk, OPTIONS, bucket(world), world.now);
    world.run(stale, 60_000 * MS);
    assertThat(stale.state()).isEqualTo(SnapshotTransfer.State.FAILED);
    assertThat(stale.failure()).hasValueSatisfying(f -> assertThat(f).contains("term " + TERM));
    assertThat(stale.bytesSent()).isEqualTo(CHUNK);
  }

  @Test
  void aSnapshotAlreadyInstalledIsAcknowledgedAtOnce() {
    World world = new World(8, 0, 0, MS);
    SnapshotTransfer first = transfer(world, bucket(world));
    world.run(first, 60_000 * MS);
    assertThat(first.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    // The completion was lost, say, and the leader's core asked again.
    SnapshotTransfer again = transfer(world, bucket(world));
    world.run(again, 60_000 * MS);
    assertThat(again.state()).isEqualTo(SnapshotTransfer.State.SUCCEEDED);
    assertThat(again.bytesSent()).isEqualTo(CHUNK);
    assertThat(world.offers).isEqualTo(1);
    assertThat(Optional.of(info)).isEqualTo(followerStore.latest());
  }
}
