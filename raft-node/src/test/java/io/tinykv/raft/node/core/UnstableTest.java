package io.tinykv.raft.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.LogEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnstableTest {

  @Test
  void acknowledgingAReadyMakesExactlyItsEntriesDurable() {
    Unstable u = new Unstable(1);
    u.truncateAndAppend(entries(1, 3, 1));
    assertThat(u.emit(1)).hasSize(3);
    u.truncateAndAppend(entries(4, 5, 1));
    assertThat(u.emit(2)).hasSize(2);
    assertThat(u.stableTo(1)).isTrue();
    assertThat(u.offset()).isEqualTo(4);
    assertThat(u.stableTo(2)).isTrue();
    assertThat(u.offset()).isEqualTo(6);
    assertThat(u.isEmpty()).isTrue();
  }

  @Test
  void staleAcknowledgementNeverCoversEntriesAlreadyReplaced() {
    Unstable u = new Unstable(6);
    u.truncateAndAppend(entries(6, 10, 1));
    u.emit(1); // ready 1 carries 6..10 in term 1
    u.truncateAndAppend(entries(8, 9, 2));
    assertThat(u.emit(2)).extracting(LogEntry::index).containsExactly(8L, 9L);
    // A later leader reinstates term-1 entries at 8..10: same index and term as ready 1 wrote.
    u.truncateAndAppend(entries(8, 10, 1));
    u.emit(3);
    // Ready 1 is durable, but ready 2 (which truncated 8..) may not be: only 6..7 are durable.
    u.stableTo(1);
    assertThat(u.offset()).isEqualTo(8);
    u.stableTo(3);
    assertThat(u.offset()).isEqualTo(11);
  }

  @Test
  void replacingDurableEntriesMovesTheOffsetBack() {
    Unstable u = new Unstable(11);
    u.truncateAndAppend(entries(7, 8, 3));
    assertThat(u.offset()).isEqualTo(7);
    assertThat(u.emit(1)).extracting(LogEntry::index).containsExactly(7L, 8L);
  }

  private static List<LogEntry> entries(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(LogEntry.command(i, term, 0, new byte[] {(byte) i}));
    }
    return out;
  }
}
