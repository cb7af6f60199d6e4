package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.entry;
import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged logs: every recovery either yields exactly an intact prefix of what was written, cut at
 * the damaged last record, or fails with a {@link CorruptStorageException} naming file and offset.
 * Never a wrong entry.
 */
class RecoveryFaultTest {

  private static final int ENTRIES = 40;
  private static final CacheConfig NO_CACHE = new CacheConfig(0, 0, 0, 0);

  /** Damage is made by editing files, not by crashing, so fsyncs only cost time. */
  private static final FileChannelFactory NO_FSYNC = FaultyChannels.withoutFsync();

  @TempDir Path dir;

  /** File name to content of a healthy log of {@link #ENTRIES} entries. */
  private Map<String, byte[]> healthy;

  @BeforeEach
  void writeHealthyLog() throws IOException {
    try (SegmentedLog log = open()) {
      for (long i = 1; i <= ENTRIES; i += 4) {
        log.append(range(i, i + 3, 1 + i / 10));
        log.sync();
      }
    }
    healthy = snapshot();
  }

  private SegmentedLog open() {
    return SegmentedLog.open(dir, SegmentedLogTest.SMALL, NO_CACHE, NO_FSYNC);
  }

  private static LogEntry expected(long index) {
    return entry(index, 1 + ((index - 1) / 4 * 4 + 1) / 10);
  }

  private Map<String, byte[]> snapshot() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        files.put(path.getFileName().toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }

  /** Restores the healthy log, with {@code name} replaced by {@code content} (or removed). */
  private void restore(String name, byte[] content) throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        Files.delete(path);
      }
    }
    for (var file : healthy.entrySet()) {
      if (!file.getKey().equals(name)) {
        Files.write(dir.resolve(file.getKey()), file.getValue());
      }
    }
    if (content != null) {
      Files.write(dir.resolve(name), content);
    }
  }

  private List<String> segmentNames() {
    return healthy.keySet().stream().filter(n -> n.endsWith(".seg")).toList();
  }

  private String lastSegment() {
    List<String> names = segmentNames();
    return names.get(names.size() - 1);
  }

  /** Opens the log and checks it holds an intact prefix of at least {@code minLast} entries. */
  private long openAndCheckPrefix(long minLast, String context) {
    return openAndCheckPrefix(minLast, context, true);
  }

  private long openAndCheckPrefix(long minLast, String context, boolean thenAppend) {
    try (SegmentedLog log = open()) {
      assertThat(log.lastIndex()).as(context).isBetween(minLast, (long) ENTRIES);
      for (long i = 1; i <= log.lastIndex(); i++) {
        assertThat(log.entry(i)).as(context).isEqualTo(expected(i));
      }
      if (!thenAppend) {
        return log.lastIndex();
      }
      log.append(List.of(entry(log.lastIndex() + 1, 9)));
      log.sync();
      return log.lastIndex() - 1;
    }
  }

  @Test
  void aCutAtEveryOffsetOfTheLastRecordLosesOnlyThatRecord() throws IOException {
    byte[] last = healthy.get(lastSegment());
    int recordStart = last.length - RecordCodec.recordBytes(expected(ENTRIES));
    for (int cut = recordStart; cut < last.length; cut++) {
      restore(lastSegment(), java.util.Arrays.copyOf(last, cut));
      long recovered = openAndCheckPrefix(ENTRIES - 1, "cut at " + cut);
      assertThat(recovered).as("cut at " + cut).isEqualTo(ENTRIES - 1);
    }
  }

  /** Every bit of the record's frame and fields, every fifth bit of its payload. */
  @Test
  void aFlippedBitInTheLastRecordLosesOnlyThatRecord() throws IOException {
    byte[] last = healthy.get(lastSegment());
    int recordStart = last.length - RecordCodec.recordBytes(expected(ENTRIES));
    int payloadStart = recordStart + RecordCodec.ENTRY_OVERHEAD;
    for (int bit = recordStart * 8; bit < last.length * 8; bit += bit < payloadStart * 8 ? 1 : 5) {
      byte[] damaged = last.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      restore(lastSegment(), damaged);
      long recovered = openAndCheckPrefix(ENTRIES - 1, "bit " + bit, false);
      assertThat(recovered).as("bit " + bit).isEqualTo(ENTRIES - 1);
    }
  }

  @Test
  void aFlippedBitBeforeTheLastRecordIsAStartupErrorNamingFileAndOffset() throws IOException {
    byte[] last = healthy.get(lastSegment());
    int lastRecord = last.length - RecordCodec.recordBytes(expected(ENTRIES));
    for (int bit = SegmentHeader.BYTES * 8; bit < lastRecord * 8; bit += 3) {
      byte[] damaged = last.clone();
      damaged[bit / 8] ^= (byte) (1 << (bit % 8));
      restore(lastSegment(), damaged);
      int byteOffset = bit / 8;
      assertThatThrownBy(this::open)
          .as("bit " + bit)
          .isInstanceOfSatisfying(
              CorruptStorageException.class,
              e -> {
                assertThat(e.file().getFileName().toString()).isEqualTo(lastSegment());
                assertThat(e.offset()).isBetween(SegmentHeader.BYTES + 0L, (long) byteOffset);
                assertThat(e.getMessage()).contains(lastSegment()).contains("offset " + e.offset());
              });
    }
  }

  @Test
  void aFlippedBitInASegmentHeaderIsAStartupError() throws IOException {
    for (String name : List.of(segmentNames().get(0), lastSegment())) {
      for (int bit = 0; bit < SegmentHeader.BYTES * 8; bit += 5) {
        byte[] damaged = healthy.get(name).clone();
        damaged[bit / 8] ^= (byte) (1 << (bit % 8));
        restore(name, damaged);
        assertThatThrownBy(this::open)
            .as(name + " bit " + bit)
            .isInstanceOf(CorruptStorageException.class)
            .hasMessageContaining(name);
      }
    }
  }

  @Test
  void aFlippedBitInASealedSegmentFailsTheReadNamingFileAndOffset() throws IOException {
    String first = segmentNames().get(0);
    byte[] damaged = healthy.get(first).clone();
    int offset = SegmentHeader.BYTES + RecordCodec.ENTRY_OVERHEAD + 3;
    damaged[offset] ^= 0x10;
    restore(first, damaged);
    try (SegmentedLog log = open()) {
      assertThat(log.lastIndex()).isEqualTo(ENTRIES);
      assertThat(log.entry(ENTRIES)).isEqualTo(expected(ENTRIES));
      assertThatThrownBy(() -> log.entry(2))
          .isInstanceOfSatisfying(
              CorruptStorageException.class,
              e -> {
                assertThat(e.file().getFileName().toString()).isEqualTo(first);
                assertThat(e.offset()).isEqualTo(SegmentHeader.BYTES);
              });
    }
  }

  @Test
  void aDamagedSealRecordIsAStartupError() throws IOException {
    String first = segmentNames().get(0);
    byte[] damaged = healthy.get(first).clone();
    damaged[damaged.length - 3] ^= 0x01;
    restore(first, damaged);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining(first);
  }

  @Test
  void anIntactRecordOutOfSequenceIsAStartupError() throws IOException {
    byte[] last = healthy.get(lastSegment());
    LogEntry lastEntry = expected(ENTRIES);
    int recordStart = last.length - RecordCodec.recordBytes(lastEntry);
    ByteBuffer forged = ByteBuffer.wrap(last.clone());
    forged.position(recordStart);
    RecordCodec.putEntry(
        forged, entry(ENTRIES + 5, lastEntry.term(), lastEntry.payload().length), new CRC32C());
    restore(lastSegment(), forged.array());
    assertThatThrownBy(this::open)
        .isInstanceOfSatisfying(
            CorruptStorageException.class, e -> assertThat(e.offset()).isEqualTo(recordStart));
  }

  @Test
  void aMissingSegmentIsAStartupError() throws IOException {
    List<String> names = segmentNames();
    for (String missing : List.of(names.get(0), names.get(names.size() / 2), lastSegment())) {
      restore(missing, null);
      assertThatThrownBy(this::open)
          .as("without " + missing)
          .isInstanceOf(CorruptStorageException.class)
          .hasMessageContaining("missing");
    }
  }

  @Test
  void anInterruptedTruncationLeavesAPrefix() throws IOException {
    String middle = segmentNames().get(segmentNames().size() / 2);
    byte[] content = healthy.get(middle);
    restore(
        middle, java.util.Arrays.copyOf(content, content.length - RecordCodec.SEAL_RECORD_BYTES));
    long middleFirst = SegmentHeader.parseFileName(middle).getAsLong();
    long recovered = openAndCheckPrefix(middleFirst, "interrupted truncation");
    String next = segmentNames().get(segmentNames().indexOf(middle) + 1);
    assertThat(recovered).isEqualTo(SegmentHeader.parseFileName(next).getAsLong() - 1);
  }

  @Test
  void anInterruptedSegmentCreationIsDropped() throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        Files.delete(path);
      }
    }
    Files.write(dir.resolve(SegmentHeader.fileName(1)), new byte[7]);
    try (SegmentedLog log = open()) {
      assertThat(log.lastIndex()).isZero();
    }
  }

  @Test
  void anInterruptedCompactionIsFinishedOnOpen() throws IOException {
    new Boundary(25, expected(25).term()).write(FileChannelFactory.DEFAULT, dir);
    long before = countSegmentFiles();
    try (SegmentedLog log = open()) {
      assertThat(log.firstIndex()).isEqualTo(26);
      assertThat(log.term(25)).isEqualTo(expected(25).term());
      assertThat(log.entries(26, ENTRIES + 1, Long.MAX_VALUE))
          .isEqualTo(expectedRange(26, ENTRIES));
    }
    assertThat(countSegmentFiles()).isLessThan(before);
  }

  @Test
  void aDamagedCompactionMarkerIsAStartupError() throws IOException {
    new Boundary(25, 3).write(FileChannelFactory.DEFAULT, dir);
    Path marker = Boundary.file(dir);
    byte[] bytes = Files.readAllBytes(marker);
    bytes[bytes.length - 1] ^= 0x40;
    Files.write(marker, bytes);
    assertThatThrownBy(this::open)
        .isInstanceOf(CorruptStorageException.class)
        .hasMessageContaining("compacted");
    if (!Files.exists(marker)) {
      fail("the marker must stay for an operator to inspect");
    }
  }

  private static List<LogEntry> expectedRange(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to)
        .mapToObj(RecoveryFaultTest::expected)
        .toList();
  }

  private long countSegmentFiles() throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      return paths.filter(p -> p.toString().endsWith(".seg")).count();
    }
  }
}
