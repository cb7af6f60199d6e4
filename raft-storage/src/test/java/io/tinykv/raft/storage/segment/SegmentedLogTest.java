package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.entry;
import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operation of {@link SegmentedLog} and its edges, each checked again after a reopen. */
class SegmentedLogTest {

  /** About six entries per segment. */
  static final LogConfig SMALL = new LogConfig(512, 4096, 2);

  @TempDir Path dir;
  private SegmentedLog log;

  @AfterEach
  void close() {
    if (log != null) {
      log.close();
    }
  }

  private SegmentedLog open() {
    log = SegmentedLog.open(dir, SMALL, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT);
    return log;
  }

  private SegmentedLog reopen() {
    log.close();
    return open();
  }

  private void appendAndSync(List<LogEntry> batch) {
    log.append(batch);
    assertThat(log.sync()).isEqualTo(batch.get(batch.size() - 1).index());
  }

  private long segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".seg")).count();
    }
  }

  private List<Long> segmentFirstIndexes() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> SegmentHeader.parseFileName(p.getFileName().toString()))
          .filter(first -> first.isPresent())
          .map(first -> first.getAsLong())
          .sorted()
          .toList();
    }
  }

  /** The log holds exactly {@code expected} after the boundary {@code (first - 1, termBefore)}. */
  private static void assertHolds(
      SegmentedLog log, long first, long termBefore, List<LogEntry> expected) {
    assertThat(log.firstIndex()).isEqualTo(first);
    assertThat(log.lastIndex()).isEqualTo(first + expected.size() - 1);
    assertThat(log.durableIndex()).isEqualTo(log.lastIndex());
    assertThat(log.writtenIndex()).isEqualTo(log.lastIndex());
    assertThat(log.term(first - 1)).isEqualTo(termBefore);
    assertThat(log.entries(first, log.lastIndex() + 1, Long.MAX_VALUE)).isEqualTo(expected);
    for (LogEntry e : expected) {
      assertThat(log.entry(e.index())).isEqualTo(e);
      assertThat(log.term(e.index())).isEqualTo(e.term());
    }
    assertThat(log.lastTerm())
        .isEqualTo(expected.isEmpty() ? termBefore : expected.get(expected.size() - 1).term());
  }

  @Test
  void emptyLog() {
    open();
    assertHolds(log, 1, 0, List.of());
    assertThat(log.entriesFrom(1, 10, 1000)).isEmpty();
    assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.term(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(log.sync()).isZero();
    assertHolds(reopen(), 1, 0, List.of());
  }

  @Test
  void oneEntryIsInvisibleUntilSynced() {
    open();
    log.append(List.of(entry(1, 1)));
    assertThat(log.writtenIndex()).isEqualTo(1);
    assertThat(log.lastIndex()).isZero();
    assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(log.sync()).isEqualTo(1);
    assertHolds(log, 1, 0, List.of(entry(1, 1)));
    assertHolds(reopen(), 1, 0, List.of(entry(1, 1)));
  }

  @Test
  void entriesRollAcrossSegmentBoundaries() throws IOException {
    open();
    List<LogEntry> all = new ArrayList<>();
    long next = 1;
    for (int batch : new int[] {1, 3, 7, 20, 1, 40, 28}) {
      List<LogEntry> entries = range(next, next + batch - 1, 1 + next / 30);
      appendAndSync(entries);
      all.addAll(entries);
      next += batch;
    }
    assertThat(segmentFiles()).isGreaterThan(10);
    assertHolds(log, 1, 0, all);
    assertHolds(reopen(), 1, 0, all);
  }

  @Test
  void entriesStopAtTheByteLimitButReturnAtLeastOne() {
    open();
    appendAndSync(range(1, 40, 1));
    long one = entry(5, 1).sizeInBytes();
    assertThat(log.entries(5, 41, 1)).containsExactly(entry(5, 1));
    assertThat(log.entries(5, 41, one + entry(6, 1).sizeInBytes())).hasSize(2);
    assertThat(log.entries(5, 5, 1000)).isEmpty();
    assertThat(log.entriesFrom(5, 3, Long.MAX_VALUE)).isEqualTo(range(5, 7, 1));
    assertThat(log.entriesFrom(38, 10, Long.MAX_VALUE)).isEqualTo(range(38, 40, 1));
    assertThat(log.entriesFrom(41, 10, Long.MAX_VALUE)).isEmpty();
    assertThatThrownBy(() -> log.entries(0, 3, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.entries(39, 42, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.entriesFrom(42, 1, 10))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void appendRejectsGapsAndHoles() {
    open();
    appendAndSync(range(1, 3, 1));
    assertThatThrownBy(() -> log.append(List.of(entry(5, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> log.append(List.of(entry(4, 1), entry(6, 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("contiguous");
    assertThatThrownBy(() -> log.append(List.of(entry(4, 1, 5000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("largest payload");
    assertHolds(log, 1, 0, range(1, 3, 1));
  }

  @Test
  void anEntryLargerThanASegmentGetsASegmentOfItsOwn() throws IOException {
    open();
    List<LogEntry> all = new ArrayList<>(range(1, 3, 1));
    all.add(entry(4, 1, 2000));
    all.addAll(range(5, 6, 1));
    appendAndSync(all);
    assertThat(segmentFiles()).isEqualTo(3);
    assertHolds(reopen(), 1, 0, all);
  }

  @Test
  void truncateIntoAPreviousSegment() throws IOException {
    open();
    appendAndSync(range(1, 50, 1));
    long before = segmentFiles();
    log.truncateSuffix(10);
    assertThat(log.lastIndex()).isEqualTo(9);
    assertThat(log.writtenIndex()).isEqualTo(9);
    assertThat(segmentFiles()).isLessThan(before);
    List<LogEntry> expected = new ArrayList<>(range(1, 9, 1));
    assertHolds(reopen(), 1, 0, expected);
    List<LogEntry> replacement = range(10, 20, 2);
    appendAndSync(replacement);
    expected.addAll(replacement);
    assertHolds(log, 1, 0, expected);
    assertHolds(reopen(), 1, 0, expected);
  }

  @Test
  void truncateAtASegmentsFirstIndexAndOfUnsyncedEntries() throws IOException {
    open();
    appendAndSync(range(1, 30, 1));
    long firstOfSecond = segmentFirstIndexes().get(1);
    log.truncateSuffix(firstOfSecond);
    log.append(range(firstOfSecond, 12, 2));
    log.truncateSuffix(11);
    assertThat(log.lastIndex()).isEqualTo(firstOfSecond - 1);
    assertThat(log.writtenIndex()).isEqualTo(10);
    log.truncateSuffix(50);
    assertThat(log.sync()).isEqualTo(10);
    List<LogEntry> expected = new ArrayList<>(range(1, firstOfSecond - 1, 1));
    expected.addAll(range(firstOfSecond, 10, 2));
    assertHolds(reopen(), 1, 0, expected);
  }

  @Test
  void appendOverlappingTheTailReplacesIt() {
    open();
    appendAndSync(range(1, 20, 1));
    appendAndSync(range(15, 25, 3));
    List<LogEntry> expected = new ArrayList<>(range(1, 14, 1));
    expected.addAll(range(15, 25, 3));
    assertHolds(log, 1, 0, expected);
    assertHolds(reopen(), 1, 0, expected);
  }

  @Test
  void compactThenAppend() throws IOException {
    open();
    appendAndSync(range(1, 100, 2));
    long before = segmentFiles();
    log.compactPrefix(60);
    assertThat(segmentFiles()).isLessThan(before);
    assertHolds(log, 61, 2, range(61, 100, 2));
    assertThatThrownBy(() -> log.entry(60)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> log.truncateSuffix(60)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> log.append(List.of(entry(60, 2))))
        .isInstanceOf(IllegalArgumentException.class);
    assertHolds(reopen(), 61, 2, range(61, 100, 2));
    appendAndSync(range(101, 120, 3));
    List<LogEntry> expected = new ArrayList<>(range(61, 100, 2));
    expected.addAll(range(101, 120, 3));
    assertHolds(reopen(), 61, 2, expected);
    log.compactPrefix(50);
    assertThat(log.firstIndex()).isEqualTo(61);
  }

  @Test
  void compactEverythingDurableKeepsTheActiveSegment() {
    open();
    appendAndSync(range(1, 40, 1));
    log.append(range(41, 42, 1));
    assertThatThrownBy(() -> log.compactPrefix(41)).isInstanceOf(IllegalArgumentException.class);
    log.compactPrefix(40);
    assertThat(log.sync()).isEqualTo(42);
    assertHolds(log, 41, 1, range(41, 42, 1));
    assertHolds(reopen(), 41, 1, range(41, 42, 1));
    log.truncateSuffix(41);
    assertHolds(reopen(), 41, 1, List.of());
  }

  @Test
  void resetToASnapshotAheadOfTheLog() {
    open();
    appendAndSync(range(1, 30, 1));
    log.resetTo(100, 5);
    assertHolds(log, 101, 5, List.of());
    assertHolds(reopen(), 101, 5, List.of());
    appendAndSync(range(101, 110, 6));
    assertHolds(reopen(), 101, 5, range(101, 110, 6));
    log.resetTo(103, 6);
    assertHolds(reopen(), 104, 6, List.of());
  }

  @Test
  void sealedSegmentIndexesAreDroppedAndReloaded() {
    open();
    appendAndSync(range(1, 200, 1));
    log.close();
    log = SegmentedLog.open(dir, SMALL, new CacheConfig(0, 0, 0, 0), FileChannelFactory.DEFAULT);
    for (int round = 0; round < 2; round++) {
      for (long i = 1; i <= 200; i += 13) {
        assertThat(log.entry(i)).isEqualTo(entry(i, 1));
        assertThat(log.term(i)).isEqualTo(1);
      }
    }
    assertThat(log.cacheStats().diskReads()).isGreaterThan(20);
  }

  /** Group commit: however large the batch, one fsync makes it durable. */
  @Test
  void syncIsOneFsyncPerBatch() {
    FaultyChannels counting = new FaultyChannels(Long.MAX_VALUE);
    log = SegmentedLog.open(dir, LogConfig.DEFAULT, CacheConfig.DEFAULT, counting);
    for (long first = 1; first <= 3000; first += 1000) {
      long before = counting.forces();
      log.append(range(first, first + 999, 1));
      assertThat(counting.forces()).as("append alone does not sync").isEqualTo(before);
      assertThat(log.sync()).isEqualTo(first + 999);
      assertThat(counting.forces() - before).isEqualTo(1);
    }
    long before = counting.forces();
    assertThat(log.sync()).as("nothing new to sync").isEqualTo(3000);
    assertThat(counting.forces()).isEqualTo(before);
  }

  /** Opening reads the headers and seal records of sealed segments, and only the last in full. */
  @Test
  void openingCostDoesNotGrowWithTheLog() throws IOException {
    log = SegmentedLog.open(dir, SMALL, CacheConfig.DEFAULT, FaultyChannels.withoutFsync());
    for (long first = 1; first <= 2000; first += 100) {
      appendAndSync(range(first, first + 99, 1));
    }
    log.close();
    long segments = segmentFiles();
    assertThat(segments).isGreaterThan(200);
    FaultyChannels counting = new FaultyChannels(Long.MAX_VALUE);
    log = SegmentedLog.open(dir, SMALL, CacheConfig.DEFAULT, counting);
    long perSealed = SegmentHeader.BYTES + RecordCodec.SEAL_RECORD_BYTES;
    assertThat(counting.bytesRead())
        .isLessThanOrEqualTo(segments * perSealed + SMALL.segmentBytes() * 2);
    assertThat(log.lastIndex()).isEqualTo(2000);
  }

  @Test
  void aClosedLogRefusesCalls() {
    open();
    log.close();
    assertThatThrownBy(() -> log.entries(1, 1, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> log.append(List.of(entry(1, 1))))
        .isInstanceOf(IllegalStateException.class);
    log = null;
  }
}
