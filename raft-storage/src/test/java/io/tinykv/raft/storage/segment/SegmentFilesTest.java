package io.tinykv.raft.storage.segment;

import static io.tinykv.raft.storage.TestEntries.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.cache.CacheConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SegmentedLog#segmentFiles()} agrees with the segment files in the directory. */
class SegmentFilesTest {

  @TempDir Path dir;

  private SegmentFiles onDisk() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments = files.filter(p -> p.toString().endsWith(".seg")).toList();
      long bytes = 0;
      for (Path segment : segments) {
        bytes += Files.size(segment);
      }
      return new SegmentFiles(segments.size(), bytes);
    }
  }

  @Test
  void countsAndSizesTheSegmentFilesThroughRollsAndCompaction() throws IOException {
    SegmentedLog log =
        SegmentedLog.open(
            dir, SegmentedLogTest.SMALL, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT);
    try {
      assertThat(log.segmentFiles()).isEqualTo(onDisk());
      assertThat(log.segmentFiles().count()).isEqualTo(1);
      log.append(range(1, 60, 1));
      log.sync();
      SegmentFiles rolled = log.segmentFiles();
      assertThat(rolled).isEqualTo(onDisk());
      assertThat(rolled.count()).isGreaterThan(5);
      log.compactPrefix(40);
      assertThat(log.segmentFiles()).isEqualTo(onDisk());
      assertThat(log.segmentFiles().count()).isLessThan(rolled.count());
      assertThat(log.segmentFiles().bytes()).isLessThan(rolled.bytes());
    } finally {
      log.close();
    }
    assertThatThrownBy(log::segmentFiles).isInstanceOf(IllegalStateException.class);
  }
}
