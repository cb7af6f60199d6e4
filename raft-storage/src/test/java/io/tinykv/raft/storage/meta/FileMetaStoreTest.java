package io.tinykv.raft.storage.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.HardState;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.format.RecordFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMetaStoreTest {

  private static final UUID NODE = new UUID(1, 2);
  private static final NodeId N1 = NodeId.of("n1");
  private static final NodeId N2 = NodeId.of("n2");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("meta");
  }

  private FileMetaStore create() {
    return FileMetaStore.create(
        file(), PersistentMeta.initial("cluster-a", NODE), FileChannelFactory.DEFAULT);
  }

  private PersistentMeta reload() {
    return FileMetaStore.load(file(), FileChannelFactory.DEFAULT).orElseThrow().current();
  }

  @Test
  void aFreshDirectoryHasNoMeta() {
    assertThat(FileMetaStore.load(file(), FileChannelFactory.DEFAULT)).isEmpty();
  }

  @Test
  void everySaveSurvivesAReload() {
    FileMetaStore store = create();
    assertThat(reload()).isEqualTo(PersistentMeta.initial("cluster-a", NODE));
    store.saveHardState(new HardState(3, Optional.of(N1)));
    Membership joint = new Membership(Set.of(N1, N2), Set.of(N1), Set.of(NodeId.of("learner")));
    store.save(store.current().withMembership(joint));
    PersistentMeta loaded = reload();
    assertThat(loaded.hardState()).isEqualTo(new HardState(3, Optional.of(N1)));
    assertThat(loaded.membership()).contains(joint);
    assertThat(loaded.nodeUuid()).isEqualTo(NODE);
    assertThat(loaded.clusterId()).isEqualTo("cluster-a");
  }

  @Test
  void savesThatWouldBreakRaftAreRefused() {
    FileMetaStore store = create();
    store.saveHardState(new HardState(5, Optional.of(N1)));
    assertThatThrownBy(() -> store.saveHardState(new HardState(4, Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.saveHardState(new HardState(5, Optional.of(N2))))
        .hasMessageContaining("already voted");
    assertThatThrownBy(() -> store.save(PersistentMeta.initial("cluster-b", NODE)))
        .hasMessageContaining("identity");
    store.saveHardState(new HardState(6, Optional.of(N2)));
    assertThat(reload().term()).isEqualTo(6);
  }

  @Test
  void aStrayTemporaryFileIsIgnoredAndRemoved() throws IOException {
    create().saveHardState(new HardState(2, Optional.empty()));
    Files.write(RecordFile.tempFileOf(file()), new byte[] {1, 2, 3});
    assertThat(reload().term()).isEqualTo(2);
    assertThat(RecordFile.tempFileOf(file())).doesNotExist();
  }

  @Test
  void aDamagedOrHalfWrittenMetaRefusesToLoad() throws IOException {
    create().saveHardState(new HardState(7, Optional.of(N1)));
    byte[] good = Files.readAllBytes(file());
    for (int cut = 0; cut < good.length; cut++) {
      Files.write(file(), Arrays.copyOf(good, cut));
      assertThatThrownBy(this::reload)
          .as("cut at " + cut)
          .isInstanceOf(CorruptStorageException.class);
    }
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] damaged = good.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      Files.write(file(), damaged);
      assertThatThrownBy(this::reload)
          .as("bit " + bit)
          .isInstanceOf(CorruptStorageException.class)
          .hasMessageContaining(file().toString());
    }
  }

  @Test
  void aFailedSaveIsFatalAndLeavesTheOldValue() {
    create().saveHardState(new HardState(2, Optional.empty()));
    FaultyChannels disk = new FaultyChannels(10);
    FileMetaStore store = FileMetaStore.load(file(), disk).orElseThrow();
    assertThatThrownBy(() -> store.saveHardState(new HardState(3, Optional.of(N1))))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.saveHardState(new HardState(4, Optional.of(N1))))
        .hasMessageContaining("failed");
    assertThat(reload().term()).isEqualTo(2);
  }
}
