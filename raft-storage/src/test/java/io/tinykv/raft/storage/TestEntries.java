package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Entries whose content is a pure function of their index and term, so any copy can be checked. */
public final class TestEntries {

  private TestEntries() {}

  /** The entry at {@code index} with {@code term} and a payload of {@code size} bytes. */
  public static LogEntry entry(long index, long term, int size) {
    byte[] payload = new byte[size];
    SplittableRandom random = new SplittableRandom(index * 31 + term);
    for (int i = 0; i < size; i++) {
      payload[i] = (byte) random.nextInt(256);
    }
    EntryType type = index % 7 == 0 ? EntryType.NO_OP : EntryType.COMMAND;
    return new LogEntry(
        index, term, type, index * 1000 + term, type == EntryType.NO_OP ? null : payload);
  }

  /** The entry at {@code index} with {@code term} and a payload size derived from the index. */
  public static LogEntry entry(long index, long term) {
    return entry(index, term, (int) (index % 50) + 10);
  }

  /** Entries {@code from..to} (inclusive) of one term. */
  public static List<LogEntry> range(long from, long to, long term) {
    List<LogEntry> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(entry(i, term));
    }
    return out;
  }
}
