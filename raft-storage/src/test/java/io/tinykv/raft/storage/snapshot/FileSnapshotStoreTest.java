package io.tinykv.raft.storage.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotMismatchException;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.SnapshotReceiver;
import io.tinykv.raft.storage.SnapshotWriter;
import io.tinykv.raft.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSnapshotStoreTest {

  private static final Membership MEMBERS =
      new Membership(Set.of(NodeId.of("n1"), NodeId.of("n2")), Set.of(), Set.of(NodeId.of("n3")));

  @TempDir Path dir;

  private FileSnapshotStore open() {
    return FileSnapshotStore.open(dir, SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT);
  }

  /** Compressible but not trivial state: repeated key-value lines with random numbers. */
  private static byte[] state(long seed, int lines) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      text.append("key-").append(i).append('=').append(random.nextInt(1000)).append('\n');
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static SnapshotInfo write(FileSnapshotStore store, long index, byte[] content)
      throws IOException {
    try (SnapshotWriter writer = store.create(new SnapshotMeta(index, 2, MEMBERS))) {
      writer.content().write(content);
      return writer.commit();
    }
  }

  private static byte[] readAll(SnapshotReader reader) throws IOException {
    try (InputStream in = reader.openContent()) {
      return in.readAllBytes();
    }
  }

  private long entries() throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.count();
    }
  }

  @Test
  void aWrittenSnapshotReadsBackCompressedAndSurvivesReopen() throws IOException {
    byte[] content = state(1, 20_000);
    SnapshotInfo info;
    try (FileSnapshotStore store = open()) {
      assertThat(store.latest()).isEmpty();
      info = write(store, 100, content);
      assertThat(store.latest()).contains(info);
      assertThat(info.storedBytes()).isLessThan(content.length / 2);
    }
    try (FileSnapshotStore store = open();
        SnapshotReader reader = store.open(info)) {
      assertThat(store.latest()).contains(info);
      assertThat(reader.info().meta()).isEqualTo(new SnapshotMeta(100, 2, MEMBERS));
      assertThat(readAll(reader)).isEqualTo(content);
      reader.verify();
    }
  }

  @Test
  void chunksTransferToAReceiverThatVerifiesThem() throws IOException {
    Path followerDir = dir.resolve("follower");
    try (FileSnapshotStore leader = open();
        FileSnapshotStore follower =
            FileSnapshotStore.open(
                followerDir, SnapshotConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
      byte[] content = state(2, 5_000);
      SnapshotInfo info = write(leader, 50, content);
      try (SnapshotReader reader = leader.open(info);
          SnapshotReceiver receiver = follower.receive(info)) {
        assertThatThrownBy(() -> receiver.write(10, new byte[1]))
            .isInstanceOf(IllegalArgumentException.class);
        for (long offset = 0; offset < info.storedBytes(); offset += 1000) {
          receiver.write(offset, reader.readChunk(offset, 1000));
        }
        assertThat(reader.readChunk(info.storedBytes(), 1000)).isEmpty();
        receiver.verify();
        assertThat(follower.latest()).as("verified, not yet installed").isEmpty();
        assertThat(receiver.commit()).isEqualTo(info);
      }
      try (SnapshotReader copy = follower.open(follower.latest().orElseThrow())) {
        assertThat(readAll(copy)).isEqualTo(content);
      }
    }
  }

  @Test
  void aDamagedTransferIsRejectedAndDiscarded() throws IOException {
    try (FileSnapshotStore store = open()) {
      SnapshotInfo info = write(store, 10, state(3, 1000));
      SnapshotInfo claimed = new SnapshotInfo(new SnapshotMeta(20, 3, MEMBERS), 4, 12345);
      try (SnapshotReceiver receiver = store.receive(claimed)) {
        receiver.write(0, new byte[] {1, 2, 3, 4});
        assertThatThrownBy(receiver::commit).isInstanceOf(SnapshotMismatchException.class);
      }
      try (SnapshotReceiver receiver = store.receive(claimed)) {
        receiver.write(0, new byte[] {1, 2, 3});
        assertThatThrownBy(receiver::verify)
            .as("incomplete")
            .isInstanceOf(SnapshotMismatchException.class);
      }
      assertThat(store.latest()).contains(info);
      assertThat(entries()).isEqualTo(1);
    }
  }

  @Test
  void olderSnapshotsArePrunedAndAbandonedWritesLeaveNothing() throws IOException {
    try (FileSnapshotStore store = open()) {
      write(store, 10, state(4, 100));
      SnapshotInfo second = write(store, 20, state(5, 100));
      assertThat(entries()).isEqualTo(1);
      assertThat(store.latest()).contains(second);
      assertThatThrownBy(() -> store.create(new SnapshotMeta(20, 2, MEMBERS)))
          .isInstanceOf(IllegalArgumentException.class);
      try (SnapshotWriter abandoned = store.create(new SnapshotMeta(30, 2, MEMBERS))) {
        abandoned.content().write(state(6, 100));
      }
      assertThat(entries()).isEqualTo(1);
      assertThat(store.latest()).contains(second);
    }
  }

  @Test
  void aReaderKeepsWorkingAfterItsSnapshotIsPruned() throws IOException {
    try (FileSnapshotStore store = open()) {
      byte[] content = state(7, 3000);
      SnapshotInfo first = write(store, 10, content);
      try (SnapshotReader reader = store.open(first)) {
        write(store, 20, state(8, 10));
        assertThat(readAll(reader)).isEqualTo(content);
        assertThatThrownBy(() -> store.open(first)).isInstanceOf(IllegalArgumentException.class);
      }
    }
  }

  @Test
  void leftoversOfACrashAreCleanedOnOpen() throws IOException {
    SnapshotInfo info;
    try (FileSnapshotStore store = open()) {
      write(store, 10, state(9, 100));
      info = write(store, 20, state(10, 100));
    }
    Files.createDirectories(dir.resolve("tmp-123/"));
    Files.write(dir.resolve("tmp-123/data"), new byte[] {1});
    Files.createDirectories(
        dir.resolve(SnapshotFiles.directoryName(new SnapshotMeta(5, 1, MEMBERS))));
    try (FileSnapshotStore store = open()) {
      assertThat(store.latest()).contains(info);
      assertThat(entries()).isEqualTo(1);
    }
  }

  @Test
  void damagedContentIsDetectedOnVerifyAndOnRead() throws IOException {
    SnapshotInfo info;
    byte[] content = state(11, 2000);
    try (FileSnapshotStore store = open()) {
      info = write(store, 10, content);
    }
    Path data = dir.resolve(SnapshotFiles.directoryName(info.meta())).resolve(SnapshotFiles.DATA);
    byte[] stored = Files.readAllBytes(data);
    stored[stored.length - 2] ^= 0x04;
    Files.write(data, stored);
    try (FileSnapshotStore store = open();
        SnapshotReader reader = store.open(info)) {
      assertThatThrownBy(reader::verify).isInstanceOf(CorruptStorageException.class);
      assertThatThrownBy(() -> readAll(reader)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void aDamagedMetaOfTheNewestSnapshotRefusesToOpen() throws IOException {
    SnapshotInfo info;
    try (FileSnapshotStore store = open()) {
      info = write(store, 10, state(12, 10));
    }
    Path meta = dir.resolve(SnapshotFiles.directoryName(info.meta())).resolve(SnapshotFiles.META);
    byte[] bytes = Files.readAllBytes(meta);
    bytes[20] ^= 0x01;
    Files.write(meta, bytes);
    assertThatThrownBy(this::open).isInstanceOf(CorruptStorageException.class);
  }

  @Test
  void aFullDiskFailsTheSnapshotAndKeepsThePreviousOne() throws IOException {
    SnapshotInfo first;
    try (FileSnapshotStore store = open()) {
      first = write(store, 10, state(13, 100));
    }
    for (long budget = 0; budget < 3000; budget += 211) {
      FileSnapshotStore store =
          FileSnapshotStore.open(dir, SnapshotConfig.DEFAULT, new FaultyChannels(budget));
      assertThatThrownBy(() -> write(store, 20, state(14, 20_000)))
          .as("budget " + budget)
          .isInstanceOf(StorageException.class);
      assertThat(store.latest()).contains(first);
      try (FileSnapshotStore reopened = open()) {
        assertThat(reopened.latest()).contains(first);
        assertThat(entries()).as("budget " + budget).isEqualTo(1);
      }
    }
  }

  @Test
  void anEmptyStateIsASnapshotToo() throws IOException {
    try (FileSnapshotStore store = open()) {
      SnapshotInfo info = write(store, 1, new byte[0]);
      try (SnapshotReader reader = store.open(info)) {
        assertThat(readAll(reader)).isEmpty();
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        chunks.write(reader.readChunk(0, Integer.MAX_VALUE));
        assertThat(chunks.size()).isEqualTo(info.storedBytes());
      }
    }
  }
}
