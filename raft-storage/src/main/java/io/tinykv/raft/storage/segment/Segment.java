package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One segment file: a header, entry records of consecutive indexes, and once its successor exists a
 * seal record naming its last index and term.
 *
 * <p>Threading: the log writer calls the mutating methods ({@link #append}, {@link #seal}, {@link
 * #truncate}, {@link #force}, {@link #delete}); readers call {@link #read} and {@link #term} for
 * durable entries concurrently. A sealed segment's index is loaded on first use and may be dropped
 * to bound memory ({@link #dropIndex()}); readers holding the old index keep using it.
 */
final class Segment implements Closeable {

  private static final int INITIAL_INDEX_CAPACITY = 1024;

  private final Path path;
  private final long firstIndex;
  private final FileChannel channel;
  private final int maxBody;

  /** Null while a sealed segment's index is not loaded. */
  private volatile SegmentIndex index;

  /** The last index held; {@code firstIndex - 1} if empty. */
  private volatile long lastIndex;

  /** The term of the last entry if the segment is sealed (known from the seal record). */
  private volatile long sealedLastTerm;

  private volatile boolean sealed;

  private Segment(Path path, long firstIndex, FileChannel channel, int maxBody) {
    this.path = path;
    this.firstIndex = firstIndex;
    this.channel = channel;
    this.maxBody = maxBody;
    this.lastIndex = firstIndex - 1;
  }

  /** Creates an empty segment file and makes its header durable (not its directory entry). */
  static Segment create(FileChannelFactory channels, Path dir, long firstIndex, int maxBody)
      throws IOException {
    Path path = dir.resolve(SegmentHeader.fileName(firstIndex));
    FileChannel channel =
        channels.open(
            path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    Segment segment = new Segment(path, firstIndex, channel, maxBody);
    try {
      writeFully(channel, SegmentHeader.encode(firstIndex), 0);
      channel.force(true);
    } catch (IOException e) {
      segment.close();
      throw e;
    }
    segment.index = new SegmentIndex(SegmentHeader.BYTES, INITIAL_INDEX_CAPACITY);
    return segment;
  }

  /** Opens an existing segment file; nothing is read yet. */
  static Segment open(FileChannelFactory channels, Path path, long firstIndex, int maxBody)
      throws IOException {
    FileChannel channel = channels.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    return new Segment(path, firstIndex, channel, maxBody);
  }

  Path path() {
    return path;
  }

  long firstIndex() {
    return firstIndex;
  }

  long lastIndex() {
    return lastIndex;
  }

  boolean isSealed() {
    return sealed;
  }

  long fileSize() throws IOException {
    return channel.size();
  }

  /** The header's problem, or null if the header is intact and names this segment. */
  String headerProblem() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(SegmentHeader.BYTES);
    readFully(channel, header, 0);
    return SegmentHeader.problem(header.flip(), firstIndex);
  }

  /**
   * Reads the seal record at the end of the file and, if it is intact, takes the last index and
   * term from it without reading the entries. Returns false if there is no intact seal record.
   */
  boolean readSeal() throws IOException {
    long size = channel.size();
    if (size < SegmentHeader.BYTES + RecordCodec.SEAL_RECORD_BYTES) {
      return false;
    }
    ByteBuffer tail = ByteBuffer.allocate(RecordCodec.SEAL_RECORD_BYTES);
    readFully(channel, tail, size - RecordCodec.SEAL_RECORD_BYTES);
    Decoded seal = RecordCodec.decode(tail, 0, tail.capacity(), maxBody, false);
    if (seal.kind() != Decoded.Kind.SEAL || seal.sealIndex() < firstIndex) {
      return false;
    }
    lastIndex = seal.sealIndex();
    sealedLastTerm = seal.sealTerm();
    sealed = true;
    return true;
  }

  /**
   * Reads every record, checking checksums and the index sequence, and adopts what it found as this
   * segment's state (recovery). Stops at the first bad record; the result says where.
   *
   * @param visitor sees every intact entry in order (used to warm the cache)
   */
  ScanResult recover(Consumer<LogEntry> visitor) throws IOException {
    Scan scan = scan(visitor);
    index = scan.index();
    lastIndex = scan.lastIndex();
    sealedLastTerm = scan.lastTerm();
    sealed = scan.result().sealed();
    return scan.result();
  }

  /** What a scan found: the outcome, and the index of the intact records before any damage. */
  private record Scan(ScanResult result, SegmentIndex index, long lastIndex, long lastTerm) {}

  private Scan scan(Consumer<LogEntry> visitor) throws IOException {
    long size = channel.size();
    SegmentIndex scanned = new SegmentIndex(SegmentHeader.BYTES, INITIAL_INDEX_CAPACITY);
    SegmentScanner scanner = new SegmentScanner(channel, SegmentHeader.BYTES, size, maxBody);
    long expected = firstIndex;
    long previousTerm = 0;
    ScanResult result = null;
    while (result == null) {
      long at = scanner.position();
      Decoded record = scanner.next();
      if (record == null) {
        result = ScanResult.clean(at, false);
      } else if (record.kind() == Decoded.Kind.ENTRY) {
        LogEntry entry = record.entry();
        if (entry.index() != expected || entry.term() < previousTerm) {
          result =
              ScanResult.damaged(
                  at, "entry " + entry + " where index " + expected + " was expected", false);
        } else {
          scanned.add(entry.term(), (int) (at + record.recordBytes()));
          visitor.accept(entry);
          expected++;
          previousTerm = entry.term();
        }
      } else if (record.kind() == Decoded.Kind.SEAL) {
        boolean atEnd = scanner.position() == size;
        boolean matches = record.sealIndex() == expected - 1 && expected > firstIndex;
        result =
            atEnd && matches
                ? ScanResult.clean(at, true)
                : ScanResult.damaged(at, "misplaced seal record", false);
      } else {
        result = ScanResult.damaged(at, record.problem(), true);
      }
    }
    return new Scan(result, scanned, expected - 1, previousTerm);
  }

  /** This segment's index, loaded (with every record verified) if it was not. */
  SegmentIndex index() throws IOException {
    SegmentIndex loaded = index;
    return loaded != null ? loaded : loadIndex();
  }

  private synchronized SegmentIndex loadIndex() throws IOException {
    if (index == null) {
      Scan scan = scan(entry -> {});
      ScanResult result = scan.result();
      if (!result.isClean() || !result.sealed() || scan.lastIndex() != lastIndex) {
        throw new CorruptStorageException(
            path,
            result.offset(),
            result.isClean() ? "sealed segment does not end as its seal says" : result.problem());
      }
      index = scan.index();
    }
    return index;
  }

  /** Forgets a sealed segment's index to save memory; it is loaded again when needed. */
  void dropIndex() {
    if (sealed) {
      index = null;
    }
  }

  /** The term of the entry at {@code entryIndex}, which this segment holds. */
  long term(long entryIndex) throws IOException {
    if (sealed && entryIndex == lastIndex) {
      return sealedLastTerm;
    }
    return index().term((int) (entryIndex - firstIndex));
  }

  /** The size of the segment file's records so far (where the next record goes). */
  long dataEnd() {
    SegmentIndex i = index;
    return i.start(i.count());
  }

  /** Writes the entries, which continue this unsealed segment, with one write call. */
  void append(List<LogEntry> entries, ByteBuffer buffer, CRC32C crc) throws IOException {
    buffer.clear();
    for (LogEntry entry : entries) {
      RecordCodec.putEntry(buffer, entry, crc);
    }
    buffer.flip();
    int start = (int) dataEnd();
    writeFully(channel, buffer, start);
    SegmentIndex i = index;
    int end = start;
    for (LogEntry entry : entries) {
      end += RecordCodec.recordBytes(entry);
      i.add(entry.term(), end);
    }
    lastIndex = entries.get(entries.size() - 1).index();
  }

  void force() throws IOException {
    channel.force(false);
  }

  /** Writes and syncs the seal record; the segment takes no more entries. */
  void seal(long lastTerm, CRC32C crc) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(RecordCodec.SEAL_RECORD_BYTES);
    RecordCodec.putSeal(buffer, lastIndex, lastTerm, crc);
    writeFully(channel, buffer.flip(), dataEnd());
    channel.force(false);
    sealedLastTerm = lastTerm;
    sealed = true;
  }

  /**
   * Cuts the file before {@code fromIndex} (removing the seal record if any) and syncs it; the
   * segment is unsealed and takes entries again.
   */
  void truncate(long fromIndex) throws IOException {
    int keep = (int) (fromIndex - firstIndex);
    SegmentIndex i =
        keep == 0 ? new SegmentIndex(SegmentHeader.BYTES, INITIAL_INDEX_CAPACITY) : index();
    channel.truncate(i.start(keep));
    channel.force(false);
    i.truncate(keep);
    index = i;
    lastIndex = fromIndex - 1;
    sealed = false;
  }

  /**
   * Reads entries {@code [from, toExclusive)} of this segment, stopping before the total {@link
   * LogEntry#sizeInBytes()} would exceed {@code maxBytes} (but taking at least one if {@code
   * atLeastOne}). Every record's checksum and index are verified.
   */
  List<LogEntry> read(long from, long toExclusive, long maxBytes, boolean atLeastOne)
      throws IOException {
    SegmentIndex i = index();
    int first = (int) (from - firstIndex);
    int end = (int) (toExclusive - firstIndex);
    int next = first;
    long bytes = 0;
    while (next < end) {
      long size = RecordCodec.entrySize(i.end(next) - i.start(next));
      if (bytes + size > maxBytes && (next > first || !atLeastOne)) {
        break;
      }
      bytes += size;
      next++;
    }
    if (next == first) {
      return List.of();
    }
    int start = i.start(first);
    ByteBuffer buffer = ByteBuffer.allocate(i.end(next - 1) - start);
    readFully(channel, buffer, start);
    List<LogEntry> entries = new ArrayList<>(next - first);
    for (int k = first; k < next; k++) {
      Decoded record =
          RecordCodec.decode(buffer, i.start(k) - start, i.end(k) - start, maxBody, false);
      if (record.kind() != Decoded.Kind.ENTRY || record.entry().index() != firstIndex + k) {
        throw new CorruptStorageException(
            path, i.start(k), "reading entry " + (firstIndex + k) + ": " + record.problem());
      }
      entries.add(record.entry());
    }
    return entries;
  }

  /** Cuts the file at {@code offset} (a torn tail found by recovery) and syncs it. */
  void cutAt(long offset) throws IOException {
    channel.truncate(offset);
    channel.force(false);
  }

  /** Closes and deletes the file (the caller fsyncs the directory). */
  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + firstIndex + ".." + lastIndex + (sealed ? ", sealed]" : "]");
  }

  static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        break;
      }
      at += read;
    }
  }
}
