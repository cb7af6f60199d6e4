package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.entry;
import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up or fails an fsync: the log fails and stays failed (fail-stop), and reopening
 * on a healthy disk recovers at least everything {@code sync()} reported, intact.
 */
class FullDiskTest {

  @TempDir Path dir;

  private void clear() throws IOException {
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path path : paths.toList()) {
        Files.delete(path);
      }
    }
  }

  /**
   * The budget runs out in every kind of write: headers, records, seals, compaction markers. (No
   * crash is simulated, so real fsyncs would only cost time.)
   */
  @Test
  void aFullDiskStopsTheLogAndLosesNothingSynced() throws IOException {
    for (long budget = 0; budget < 4000; budget += 89) {
      clear();
      FaultyChannels disk = new FaultyChannels(budget).skippingFsync();
      long durable = 0;
      long attempted = 0;
      SegmentedLog log = null;
      try {
        log = SegmentedLog.open(dir, SegmentedLogTest.SMALL, CacheConfig.DEFAULT, disk);
        for (long i = 1; i <= 400; i += 5) {
          attempted = i + 4;
          log.append(range(i, i + 4, 1));
          durable = log.sync();
          if (i % 50 == 1) {
            log.compactPrefix(durable - 10);
          }
        }
        throw new AssertionError("budget " + budget + " was never exhausted");
      } catch (StorageException e) {
        if (log != null) {
          SegmentedLog failed = log;
          assertThatThrownBy(() -> failed.append(List.of(entry(failed.writtenIndex() + 1, 1))))
              .isInstanceOf(StorageException.class)
              .hasMessageContaining("failed earlier");
          assertThatThrownBy(failed::sync).isInstanceOf(StorageException.class);
        }
      } finally {
        if (log != null) {
          log.close();
        }
      }
      checkRecovered(durable, attempted, "budget " + budget);
    }
  }

  @Test
  void aFailedFsyncStopsTheLog() throws IOException {
    FaultyChannels disk = new FaultyChannels(Long.MAX_VALUE);
    try (SegmentedLog log =
        SegmentedLog.open(dir, SegmentedLogTest.SMALL, CacheConfig.DEFAULT, disk)) {
      log.append(range(1, 10, 1));
      assertThat(log.sync()).isEqualTo(10);
      log.append(range(11, 20, 1));
      disk.failFsync();
      assertThatThrownBy(log::sync)
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("FATAL");
      assertThat(log.lastIndex()).isEqualTo(10);
      assertThatThrownBy(log::sync).hasMessageContaining("failed earlier");
    }
    checkRecovered(10, 20, "fsync failure");
  }

  private void checkRecovered(long durable, long attempted, String context) {
    try (SegmentedLog log =
        SegmentedLog.open(
            dir, SegmentedLogTest.SMALL, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT)) {
      assertThat(log.lastIndex()).as(context).isBetween(durable, Math.max(durable, attempted));
      for (long i = log.firstIndex(); i <= log.lastIndex(); i++) {
        assertThat(log.entry(i)).as(context).isEqualTo(entry(i, 1));
      }
      log.append(List.of(entry(log.lastIndex() + 1, 1)));
      log.sync();
    }
  }
}
