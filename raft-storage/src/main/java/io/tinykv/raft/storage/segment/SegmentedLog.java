package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.FileChannelFactory;
import io.tinykv.raft.storage.LogStore;
import io.tinykv.raft.storage.StorageException;
import io.tinykv.raft.storage.cache.CacheConfig;
import io.tinykv.raft.storage.cache.CacheStats;
import io.tinykv.raft.storage.cache.TieredCache;
import io.tinykv.raft.storage.format.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The durable Raft log: append-only segment files in one directory, with a tiered read cache in
 * front. See {@link LogStore} for the contract, {@link RecordCodec} and {@link SegmentHeader} for
 * the file format and {@link LogRecovery} for what start-up does after a crash.
 *
 * <p><b>Threading.</b> One writer thread calls the {@link io.tinykv.raft.storage.LogWriter} methods
 * and {@link #close()}; readers on any thread read durable entries concurrently. Readers never see
 * an entry before {@link #sync()} made it durable (the volatile {@code durableIndex} publishes it).
 * The segment list changes (roll, truncation, compaction) under a write lock that readers of
 * segment files share, so a segment is never closed under a reader; appends and fsyncs take no
 * lock.
 */
public final class SegmentedLog implements LogStore {

  private final Path dir;
  private final LogConfig config;
  private final FileChannelFactory channels;
  private final TieredCache cache;
  private final SegmentList segments;
  private final TieredReader reader;

  private volatile Boundary boundary;
  private volatile long durableIndex;
  private volatile StorageException failure;
  private volatile boolean closed;

  /** Writer-thread state. */
  private long writtenIndex;

  private boolean directoryDirty;
  private final CRC32C crc = new CRC32C();
  private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(1 << 20);

  private SegmentedLog(
      Path dir,
      LogConfig config,
      FileChannelFactory channels,
      TieredCache cache,
      Boundary boundary,
      List<Segment> segments) {
    this.dir = dir;
    this.config = config;
    this.channels = channels;
    this.cache = cache;
    this.boundary = boundary;
    this.segments = new SegmentList(segments, config.maxLoadedSealedIndexes());
    this.reader = new TieredReader(dir, cache, this.segments, this::firstIndex);
    this.writtenIndex = Math.max(boundary.index(), this.segments.active().lastIndex());
    this.durableIndex = writtenIndex;
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, recovering from whatever a crash left: see
   * {@link LogRecovery}. Everything found is synced and durable: {@code durableIndex() ==
   * writtenIndex()}.
   *
   * @throws io.tinykv.raft.storage.CorruptStorageException if the log is damaged beyond a torn
   *     tail; the node must not start
   * @throws StorageException if the directory cannot be read or written
   */
  public static SegmentedLog open(
      Path dir, LogConfig config, CacheConfig cacheConfig, FileChannelFactory channels) {
    config.validate();
    TieredCache cache = new TieredCache(cacheConfig);
    try {
      Files.createDirectories(dir);
      Boundary boundary = Boundary.read(dir);
      List<Segment> segments =
          new ArrayList<>(
              LogRecovery.recover(
                  dir, config, channels, boundary, entry -> cache.appended(List.of(entry))));
      if (segments.isEmpty()) {
        segments.add(Segment.create(channels, dir, boundary.index() + 1, config.maxRecordBody()));
      }
      // What a killed process wrote may still be only in the page cache: sync it before
      // calling it durable.
      segments.get(segments.size() - 1).force();
      Durability.syncDirectory(channels, dir);
      cache.compactedBefore(boundary.index() + 1);
      return new SegmentedLog(dir, config, channels, cache, boundary, segments);
    } catch (IOException e) {
      throw Durability.fatal("opening the log in " + dir, e);
    }
  }

  /** Opens the log with default settings on the real file system. */
  public static SegmentedLog open(Path dir) {
    return open(dir, LogConfig.DEFAULT, CacheConfig.DEFAULT, FileChannelFactory.DEFAULT);
  }

  // ---- reads (any thread) ----

  @Override
  public long firstIndex() {
    return boundary.index() + 1;
  }

  @Override
  public long lastIndex() {
    return durableIndex;
  }

  @Override
  public long term(long index) {
    Boundary b = boundary;
    if (index == b.index()) {
      return b.term();
    }
    checkRange(index, index + 1);
    return reader.term(index);
  }

  @Override
  public LogEntry entry(long index) {
    checkRange(index, index + 1);
    return reader.read(index, index + 1, Long.MAX_VALUE).get(0);
  }

  @Override
  public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
    checkRange(fromIndex, toIndexExclusive);
    return reader.read(fromIndex, toIndexExclusive, maxBytes);
  }

  @Override
  public List<LogEntry> entriesFrom(long fromIndex, int maxCount, long maxBytes) {
    if (maxCount < 0) {
      throw new IllegalArgumentException("maxCount must be >= 0, got " + maxCount);
    }
    checkRange(fromIndex, fromIndex);
    long to = Math.min(durableIndex + 1, fromIndex + maxCount);
    return to <= fromIndex ? List.of() : reader.read(fromIndex, to, maxBytes);
  }

  /** The directory holding the segment files. */
  public Path directory() {
    return dir;
  }

  /** Where reads were served from; for tests, benchmarks and metrics. */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  /**
   * How many segment files the log occupies and their total size on disk, for metrics; any thread.
   *
   * @throws StorageException if a segment's size cannot be read
   */
  public SegmentFiles segmentFiles() {
    ensureOpen();
    try {
      return segments.files();
    } catch (IOException e) {
      throw new StorageException("reading the segment sizes in " + dir, e);
    }
  }

  private void checkRange(long from, long toExclusive) {
    ensureOpen();
    long first = firstIndex();
    long last = durableIndex;
    if (from < first || toExclusive > last + 1 || from > toExclusive) {
      throw new IndexOutOfBoundsException(
          "range [" + from + ", " + toExclusive + ") outside log [" + first + ", " + last + "]");
    }
  }

  // ---- writes (the writer thread) ----

  @Override
  public long writtenIndex() {
    return writtenIndex;
  }

  @Override
  public long durableIndex() {
    return durableIndex;
  }

  @Override
  public void append(List<LogEntry> batch) {
    ensureWritable();
    if (batch.isEmpty()) {
      return;
    }
    long first = batch.get(0).index();
    for (int i = 0; i < batch.size(); i++) {
      LogEntry entry = batch.get(i);
      if (entry.index() != first + i) {
        throw new IllegalArgumentException("batch is not contiguous at " + entry);
      }
      if (entry.payload().length > config.maxEntryBytes()) {
        throw new IllegalArgumentException(
            entry + " exceeds the largest payload of " + config.maxEntryBytes() + "B");
      }
    }
    if (first < firstIndex() || first > writtenIndex + 1) {
      throw new IllegalArgumentException(
          "batch starting at "
              + first
              + " does not fit log ["
              + firstIndex()
              + ", "
              + writtenIndex
              + "]");
    }
    if (first <= writtenIndex) {
      truncateSuffix(first);
    }
    writing("append of entries from " + first, () -> write(batch));
    writtenIndex = batch.get(batch.size() - 1).index();
    cache.appended(batch);
  }

  private void write(List<LogEntry> batch) throws IOException {
    int i = 0;
    while (i < batch.size()) {
      Segment active = segments.active();
      long size = active.dataEnd();
      boolean empty = active.lastIndex() < active.firstIndex();
      int j = i;
      long bytes = 0;
      while (j < batch.size()) {
        int record = RecordCodec.recordBytes(batch.get(j));
        if (size + bytes + record > config.segmentBytes() && !(empty && j == i)) {
          break;
        }
        bytes += record;
        j++;
      }
      if (j > i) {
        if (writeBuffer.capacity() < bytes) {
          writeBuffer =
              ByteBuffer.allocateDirect((int) Math.max(bytes, writeBuffer.capacity() * 2L));
        }
        active.append(batch.subList(i, j), writeBuffer, crc);
        i = j;
      }
      if (i < batch.size()) {
        roll();
      }
    }
  }

  /**
   * Starts a new segment. Order matters for recovery: the old segment's entries are synced before
   * its successor exists, and the successor is durable before the old one is sealed, so a crash
   * leaves either an unsealed old segment with an empty successor or a complete roll.
   */
  private void roll() throws IOException {
    Segment old = segments.active();
    old.force();
    Segment next = Segment.create(channels, dir, old.lastIndex() + 1, config.maxRecordBody());
    Durability.syncDirectory(channels, dir);
    old.seal(old.term(old.lastIndex()), crc);
    segments.roll(old, next);
  }

  @Override
  public long sync() {
    ensureWritable();
    if (writtenIndex == durableIndex && !directoryDirty) {
      return durableIndex;
    }
    writing(
        "fsync of " + segments.active().path(),
        () -> {
          segments.active().force();
          if (directoryDirty) {
            Durability.syncDirectory(channels, dir);
            directoryDirty = false;
          }
        });
    durableIndex = writtenIndex;
    return durableIndex;
  }

  /**
   * Cuts the segment holding {@code fromIndex} first (unsealing it) and only then deletes the
   * segments after it, newest first, so that a crash at any step leaves a prefix of the old log
   * that {@link LogRecovery} recognises.
   */
  @Override
  public void truncateSuffix(long fromIndex) {
    ensureWritable();
    if (fromIndex < firstIndex()) {
      throw new IllegalArgumentException(
          "cannot truncate from " + fromIndex + " before the first index " + firstIndex());
    }
    if (fromIndex > writtenIndex) {
      return;
    }
    durableIndex = Math.min(durableIndex, fromIndex - 1);
    cache.truncatedFrom(fromIndex);
    writing(
        "truncation from " + fromIndex,
        () ->
            segments.exclusive(
                () -> {
                  if (segments.cutFrom(fromIndex)) {
                    Durability.syncDirectory(channels, dir);
                  }
                }));
    writtenIndex = fromIndex - 1;
  }

  /**
   * Stores the new boundary durably first, then deletes whole sealed segments before it, oldest
   * first; a crash in between leaves segments that {@link LogRecovery} deletes.
   */
  @Override
  public void compactPrefix(long upToIndex) {
    ensureWritable();
    if (upToIndex > durableIndex) {
      throw new IllegalArgumentException(
          "cannot compact up to " + upToIndex + " beyond the durable index " + durableIndex);
    }
    if (upToIndex <= boundary.index()) {
      return;
    }
    Boundary next = new Boundary(upToIndex, term(upToIndex));
    writing(
        "compaction up to " + upToIndex,
        () -> {
          next.write(channels, dir);
          boundary = next;
          cache.compactedBefore(upToIndex + 1);
          for (Segment segment : segments.removeSealedUpTo(upToIndex)) {
            segments.delete(segment);
            directoryDirty = true;
          }
        });
  }

  /**
   * Empties the first segment, deletes the others newest first, stores the new boundary, then
   * replaces the emptied segment with a fresh one after {@code index}. A crash at any step leaves a
   * prefix of the old log or an empty log, both of which the runtime reconciles with the durable
   * snapshot by calling this again.
   */
  @Override
  public void resetTo(long index, long term) {
    ensureWritable();
    Boundary next = new Boundary(index, term);
    if (index < 1 || term < 1) {
      throw new IllegalArgumentException("invalid snapshot position " + next);
    }
    durableIndex = Math.min(durableIndex, firstIndex() - 1);
    cache.truncatedFrom(Long.MIN_VALUE);
    writing(
        "reset to " + next,
        () ->
            segments.exclusive(
                () -> {
                  segments.cutFrom(segments.first().firstIndex());
                  Durability.syncDirectory(channels, dir);
                  next.write(channels, dir);
                  boundary = next;
                  segments.replaceOnly(
                      Segment.create(channels, dir, index + 1, config.maxRecordBody()));
                  Durability.syncDirectory(channels, dir);
                }));
    writtenIndex = index;
    durableIndex = index;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      segments.closeAll();
    } catch (IOException e) {
      throw Durability.fatal("closing the log in " + dir, e);
    }
  }

  /** Runs a write step; a failure is logged as fatal and leaves the log failed. */
  private void writing(String what, SegmentList.Change step) {
    try {
      step.run();
    } catch (IOException e) {
      throw failed(Durability.fatal(what + " in " + dir, e));
    } catch (StorageException e) {
      throw failed(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the log in " + dir + " is closed");
    }
  }

  private void ensureWritable() {
    ensureOpen();
    StorageException cause = failure;
    if (cause != null) {
      throw new StorageException(
          "the log in " + dir + " failed earlier and takes no more writes; stop the node", cause);
    }
  }

  private StorageException failed(StorageException cause) {
    failure = cause;
    return cause;
  }

  @Override
  public String toString() {
    return "SegmentedLog{" + dir + " " + firstIndex() + ".." + durableIndex + "}";
  }
}
