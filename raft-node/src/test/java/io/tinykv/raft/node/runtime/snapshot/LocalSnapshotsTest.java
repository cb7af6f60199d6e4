package io.tinykv.raft.node.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.SnapshotReceiver;
import io.tinykv.raft.storage.snapshot.FileSnapshotStore;
import io.tinykv.raft.storage.snapshot.SnapshotConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The applier's snapshots and the log writer's installs share one store without failing. */
class LocalSnapshotsTest {

  private static final Membership MEMBERS = Membership.ofVoters(Set.of(NodeId.of("a")));

  @TempDir Path dir;

  private FileSnapshotStore open(String name) {
    return FileSnapshotStore.open(
        dir.resolve(name), SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT);
  }

  private static SnapshotMeta meta(long index) {
    return new SnapshotMeta(index, 1, MEMBERS);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aSnapshotAlreadyCoveredIsNotWrittenAgain() throws IOException {
    LocalSnapshots local = new LocalSnapshots(open("node"));
    Optional<SnapshotInfo> first = local.write(meta(10), out -> out.write(text("state at 10")));
    assertThat(first).isPresent();
    assertThat(local.write(meta(10), out -> out.write(text("again")))).isEmpty();
    assertThat(local.write(meta(5), out -> out.write(text("older")))).isEmpty();
    assertThat(local.latest()).isEqualTo(first);
  }

  @Test
  void aLocalSnapshotOvertakenByAnInstalledOneIsDiscarded() throws IOException {
    LocalSnapshots leader = new LocalSnapshots(open("leader"));
    SnapshotInfo received =
        leader.write(meta(30), out -> out.write(text("leader state at 30"))).orElseThrow();
    FileSnapshotStore followerStore = open("follower");
    LocalSnapshots follower = new LocalSnapshots(followerStore);

    Optional<SnapshotInfo> written =
        follower.write(
            meta(20),
            out -> {
              out.write(text("follower state at 20"));
              // Meanwhile the log writer installs a newer snapshot from the leader.
              try (SnapshotReader reader = leader.open(received)) {
                SnapshotReceiver receiver = followerStore.receive(received);
                receiver.write(0, reader.readChunk(0, (int) received.storedBytes()));
                receiver.verify();
                follower.install(receiver);
              }
            });

    assertThat(written).isEmpty();
    assertThat(follower.latest()).contains(received);
  }
}
