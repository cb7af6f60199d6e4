package io.tinykv.raft.storage.cache;

import static io.tinykv.raft.storage.TestEntries.entry;
import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FaultyChannels;
import io.tinykv.raft.storage.segment.LogConfig;
import io.tinykv.raft.storage.segment.SegmentedLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredCacheTest {

  @Test
  void theHotTailIsBoundedByCount() {
    TieredCache cache = new TieredCache(new CacheConfig(10, Long.MAX_VALUE, 0, 0));
    cache.appended(range(1, 25, 1));
    assertThat(cache.hotFirstIndex()).isEqualTo(16);
    assertThat(cache.get(15)).isNull();
    assertThat(cache.get(16)).isEqualTo(entry(16, 1));
    assertThat(cache.get(25)).isEqualTo(entry(25, 1));
    assertThat(cache.stats().hotEntries()).isEqualTo(10);
  }

  @Test
  void theHotTailIsBoundedByBytes() {
    long three = range(1, 3, 1).stream().mapToLong(LogEntry::sizeInBytes).sum();
    TieredCache cache = new TieredCache(new CacheConfig(100, three, 0, 0));
    cache.appended(range(1, 3, 1));
    assertThat(cache.hotFirstIndex()).isEqualTo(1);
    cache.appended(List.of(entry(4, 1)));
    assertThat(cache.hotFirstIndex()).isGreaterThan(1);
    cache.appended(List.of(entry(5, 1, 1 << 20)));
    assertThat(cache.hotFirstIndex())
        .as("an entry above the bound is not cached")
        .isEqualTo(Long.MAX_VALUE);
    cache.appended(List.of(entry(6, 1)));
    assertThat(cache.get(6)).isEqualTo(entry(6, 1));
  }

  @Test
  void truncationAndCompactionDropEntries() {
    TieredCache cache = new TieredCache(new CacheConfig(100, Long.MAX_VALUE, 100, Long.MAX_VALUE));
    cache.appended(range(10, 30, 1));
    cache.readFromDisk(range(1, 9, 1));
    cache.truncatedFrom(20);
    assertThat(cache.get(20)).isNull();
    assertThat(cache.get(19)).isEqualTo(entry(19, 1));
    cache.appended(range(20, 22, 2));
    assertThat(cache.get(21)).isEqualTo(entry(21, 2));
    cache.compactedBefore(12);
    assertThat(cache.get(5)).isNull();
    assertThat(cache.get(11)).isNull();
    assertThat(cache.get(12)).isEqualTo(entry(12, 1));
  }

  @Test
  void aNonContiguousAppendRestartsTheHotTail() {
    TieredCache cache = new TieredCache(CacheConfig.DEFAULT);
    cache.appended(range(1, 5, 1));
    cache.appended(range(100, 101, 1));
    assertThat(cache.get(5)).isNull();
    assertThat(cache.get(100)).isEqualTo(entry(100, 1));
  }

  /** The seed's tiers at work: a follower far behind is served from disk and the cold tier. */
  @Test
  void aFollowerCatchingUpDoesNotEvictTheLeadersHotTail(@TempDir Path dir) {
    CacheConfig config = new CacheConfig(100, Long.MAX_VALUE, 50, Long.MAX_VALUE);
    try (SegmentedLog log =
        SegmentedLog.open(
            dir, new LogConfig(4096, 4096, 2), config, FaultyChannels.withoutFsync())) {
      for (long i = 1; i <= 2000; i += 100) {
        log.append(range(i, i + 99, 1));
        log.sync();
      }
      for (long from = 1; from <= 1800; from += 50) {
        assertThat(log.entries(from, from + 50, Long.MAX_VALUE))
            .isEqualTo(range(from, from + 49, 1));
      }
      CacheStats afterCatchUp = log.cacheStats();
      assertThat(afterCatchUp.diskReads()).isEqualTo(1800);
      assertThat(afterCatchUp.hotEntries()).isEqualTo(100);
      assertThat(log.entries(1901, 2001, Long.MAX_VALUE)).isEqualTo(range(1901, 2000, 1));
      CacheStats afterTail = log.cacheStats();
      assertThat(afterTail.hotHits() - afterCatchUp.hotHits()).isEqualTo(100);
      assertThat(afterTail.diskReads()).isEqualTo(afterCatchUp.diskReads());
      assertThat(log.entries(1751, 1801, Long.MAX_VALUE)).hasSize(50);
      assertThat(log.cacheStats().coldHits())
          .as("a retransmission hits the cold tier")
          .isEqualTo(50);
    }
  }
}
