package io.tinykv.raft.storage.disk;

import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotWriter;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.segment.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStorageTest {

  private static final Membership ONE = Membership.ofVoters(Set.of(NodeId.of("n1")));

  @TempDir Path root;

  private StorageConfig config() {
    return StorageConfig.of(root, "cluster-a").withLog(LogConfig.DEFAULT.withSegmentBytes(4096));
  }

  private static void snapshot(DiskStorage storage, long index, long term) throws IOException {
    try (SnapshotWriter writer = storage.snapshots().create(new SnapshotMeta(index, term, ONE))) {
      writer.content().write(new byte[] {1, 2, 3});
      writer.commit();
    }
  }

  @Test
  void aNodeKeepsItsIdentityTermLogAndSnapshotAcrossRestarts() throws IOException {
    UUID uuid;
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.raftDir()).isEqualTo(root.resolve(".raft"));
      uuid = storage.meta().current().nodeUuid();
      storage.meta().saveHardState(new HardState(4, Optional.of(NodeId.of("n1"))));
      storage.log().append(range(1, 200, 4));
      storage.log().sync();
      snapshot(storage, 150, 4);
      storage.log().compactPrefix(150);
    }
    assertThat(root.resolve(".raft/meta")).exists();
    assertThat(root.resolve(".raft/log")).isDirectory();
    assertThat(root.resolve(".raft/snapshots")).isDirectory();
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.meta().current().nodeUuid()).isEqualTo(uuid);
      assertThat(storage.meta().current().hardState().term()).isEqualTo(4);
      assertThat(storage.log().firstIndex()).isEqualTo(151);
      assertThat(storage.log().lastIndex()).isEqualTo(200);
      assertThat(storage.snapshots().latest().orElseThrow().meta().lastIndex()).isEqualTo(150);
    }
  }

  @Test
  void aSecondProcessOrAnotherClusterIsRefused() {
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.log().lastIndex()).isZero();
      assertThatThrownBy(() -> DiskStorage.open(config()))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("in use");
    }
    assertThatThrownBy(() -> DiskStorage.open(StorageConfig.of(root, "cluster-b")))
        .hasMessageContaining("belongs to cluster 'cluster-a'");
  }

  @Test
  void aMissingMetaNextToALogRefusesToStart() throws IOException {
    try (DiskStorage storage = DiskStorage.open(config())) {
      storage.log().append(range(1, 5, 1));
      storage.log().sync();
    }
    Files.delete(root.resolve(".raft/meta"));
    assertThatThrownBy(() -> DiskStorage.open(config()))
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("forget the term and vote");
  }

  @Test
  void aLogBehindTheSnapshotIsResetToIt() throws IOException {
    try (DiskStorage storage = DiskStorage.open(config())) {
      storage.log().append(range(1, 50, 1));
      storage.log().sync();
      snapshot(storage, 80, 3);
    }
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.log().firstIndex()).isEqualTo(81);
      assertThat(storage.log().lastIndex()).isEqualTo(80);
      assertThat(storage.log().term(80)).isEqualTo(3);
    }
  }

  @Test
  void aLogThatDisagreesWithTheSnapshotIsResetButOneThatAgreesIsKept() throws IOException {
    try (DiskStorage storage = DiskStorage.open(config())) {
      storage.log().append(range(1, 50, 1));
      storage.log().sync();
      snapshot(storage, 30, 1);
    }
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.log().lastIndex()).isEqualTo(50);
      snapshot(storage, 40, 2);
    }
    try (DiskStorage storage = DiskStorage.open(config())) {
      assertThat(storage.log().firstIndex()).isEqualTo(41);
      assertThat(storage.log().term(40)).isEqualTo(2);
    }
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> DiskStorage.open(StorageConfig.of(root, "")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> DiskStorage.open(config().withLog(LogConfig.DEFAULT.withSegmentBytes(10))))
        .hasMessageContaining("segmentBytes");
  }
}
