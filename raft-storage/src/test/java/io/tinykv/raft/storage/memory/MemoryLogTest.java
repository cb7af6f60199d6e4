package io.tinykv.raft.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryLogTest {

  private static LogEntry entry(long index, long term, int size) {
    return LogEntry.command(index, term, 0, new byte[size]);
  }

  @Test
  void appendTruncatesAnOverlappingSuffix() {
    MemoryLog log = new MemoryLog();
    log.append(List.of(entry(1, 1, 0), entry(2, 1, 0), entry(3, 1, 0)));
    log.append(List.of(entry(2, 2, 0)));
    assertThat(log.lastIndex()).isEqualTo(2);
    assertThat(log.term(2)).isEqualTo(2);
    assertThat(log.term(0)).isZero();
  }

  @Test
  void appendRejectsGaps() {
    MemoryLog log = new MemoryLog();
    assertThatThrownBy(() -> log.append(List.of(entry(2, 1, 0))))
        .hasMessageContaining("does not fit");
  }

  @Test
  void entriesStopAtTheByteLimitButReturnAtLeastOne() {
    MemoryLog log = new MemoryLog();
    log.append(List.of(entry(1, 1, 100), entry(2, 1, 100), entry(3, 1, 100)));
    long one = entry(1, 1, 100).sizeInBytes();
    assertThat(log.entries(1, 4, one * 2)).hasSize(2);
    assertThat(log.entries(1, 4, 1)).hasSize(1);
    assertThatThrownBy(() -> log.entries(2, 5, 1000)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void copyIsIndependent() {
    MemoryLog log = new MemoryLog();
    log.append(List.of(entry(1, 1, 0)));
    MemoryLog copy = new MemoryLog(log);
    log.append(List.of(entry(2, 1, 0)));
    assertThat(copy.lastIndex()).isEqualTo(1);
  }

  @Test
  void compactionAndResetKeepTheTermBeforeTheFirstIndex() {
    MemoryLog log = new MemoryLog();
    log.append(List.of(entry(1, 1, 0), entry(2, 2, 0), entry(3, 2, 0)));
    assertThat(log.sync()).isEqualTo(3);
    log.compactPrefix(2);
    assertThat(log.firstIndex()).isEqualTo(3);
    assertThat(log.term(2)).isEqualTo(2);
    assertThatThrownBy(() -> log.compactPrefix(4)).isInstanceOf(IllegalArgumentException.class);
    log.resetTo(10, 4);
    assertThat(log.firstIndex()).isEqualTo(11);
    assertThat(log.lastIndex()).isEqualTo(10);
    assertThat(log.durableIndex()).isEqualTo(10);
    assertThat(log.term(10)).isEqualTo(4);
  }
}
