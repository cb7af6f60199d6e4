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
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
  private final SealedIndexes sealedIndexes;
  private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();

  /** Ordered by first index and contiguous; the last one takes appends. Guarded by structure. */
  private final List<Segment> segments;

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
    this.sealedIndexes = new SealedIndexes(config.maxLoadedSealedIndexes());
    this.boundary = boundary;
    this.segments = new ArrayList<>(segments);
    this.writtenIndex = Math.max(boundary.index(), active().lastIndex());
    this.durableIndex = writtenIndex;
  }

  /**
   * Opens (creating if needed) the log in {@code dir}, recovering from whatever a crash left: see
   * {@link LogRecovery}. Everything found is durable: {@code durableIndex() == writtenIndex()}.
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
      LogRecovery.Recovered recovered =
          LogRecovery.recover(
              dir, config, channels, boundary, entry -> cache.appended(List.of(entry)));
      List<Segment> segments = new ArrayList<>(recovered.segments());
      if (segments.isEmpty()) {
        segments.add(Segment.create(channels, dir, boundary.index() + 1, config.maxRecordBody()));
      }
      if (recovered.directoryChanged() || recovered.segments().isEmpty()) {
        Durability.syncDirectory(channels, dir);
      }
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
    LogEntry cached = cache.get(index);
    if (cached != null) {
      return cached.term();
    }
    return onSegment(index, segment -> segment.term(index));
  }

  @Override
  public LogEntry entry(long index) {
    checkRange(index, index + 1);
    return collect(index, index + 1, Long.MAX_VALUE).get(0);
  }

  @Override
  public List<LogEntry> entries(long fromIndex, long toIndexExclusive, long maxBytes) {
    checkRange(fromIndex, toIndexExclusive);
    return collect(fromIndex, toIndexExclusive, maxBytes);
  }

  @Override
  public List<LogEntry> entriesFrom(long fromIndex, int maxCount, long maxBytes) {
    if (maxCount < 0) {
      throw new IllegalArgumentException("maxCount must be >= 0, got " + maxCount);
    }
    checkRange(fromIndex, fromIndex);
    long to = Math.min(durableIndex + 1, fromIndex + maxCount);
    return to <= fromIndex ? List.of() : collect(fromIndex, to, maxBytes);
  }

  /** The directory holding the segment files. */
  public Path directory() {
    return dir;
  }

  /** Where reads were served from; for tests, benchmarks and metrics. */
  public CacheStats cacheStats() {
    return cache.stats();
  }

  private List<LogEntry> collect(long from, long to, long maxBytes) {
    List<LogEntry> out = new ArrayList<>();
    long bytes = 0;
    long next = from;
    while (next < to) {
      LogEntry cached = cache.get(next);
      if (cached != null) {
        if (!out.isEmpty() && bytes + cached.sizeInBytes() > maxBytes) {
          break;
        }
        out.add(cached);
        bytes += cached.sizeInBytes();
        next++;
        continue;
      }
      long runEnd = Math.min(to, Math.max(next + 1, cache.hotFirstIndex()));
      long runFrom = next;
      long budget = maxBytes - bytes;
      boolean atLeastOne = out.isEmpty();
      List<LogEntry> run =
          onSegment(
              runFrom,
              segment ->
                  segment.read(
                      runFrom, Math.min(runEnd, segment.lastIndex() + 1), budget, atLeastOne));
      if (run.isEmpty()) {
        break;
      }
      cache.readFromDisk(run);
      for (LogEntry entry : run) {
        bytes += entry.sizeInBytes();
      }
      out.addAll(run);
      next += run.size();
    }
    return out;
  }

  /** Runs a read on the segment holding {@code index}, with the segment list held steady. */
  private <T> T onSegment(long index, SegmentRead<T> read) {
    ensureOpen();
    structure.readLock().lock();
    try {
      if (index < firstIndex()) {
        throw new IndexOutOfBoundsException(index + " was compacted while being read");
      }
      Segment segment = segments.get(segmentPosition(index));
      T result = read.apply(segment);
      sealedIndexes.used(segment);
      return result;
    } catch (IOException e) {
      throw Durability.fatal("reading entry " + index + " in " + dir, e);
    } finally {
      structure.readLock().unlock();
    }
  }

  /** A read of one segment. */
  @FunctionalInterface
  private interface SegmentRead<T> {
    T apply(Segment segment) throws IOException;
  }

  /** The position in {@link #segments} of the last segment starting at or before {@code index}. */
  private int segmentPosition(long index) {
    int low = 0;
    int high = segments.size() - 1;
    while (low < high) {
      int mid = (low + high + 1) >>> 1;
      if (segments.get(mid).firstIndex() <= index) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
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
    try {
      write(batch);
    } catch (IOException e) {
      throw failed(Durability.fatal("append of entries from " + first + " in " + dir, e));
    } catch (StorageException e) {
      throw failed(e);
    }
    writtenIndex = batch.get(batch.size() - 1).index();
    cache.appended(batch);
  }

  private void write(List<LogEntry> batch) throws IOException {
    int i = 0;
    while (i < batch.size()) {
      Segment active = active();
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
    Segment old = active();
    old.force();
    Segment next = Segment.create(channels, dir, old.lastIndex() + 1, config.maxRecordBody());
    Durability.syncDirectory(channels, dir);
    old.seal(old.term(old.lastIndex()), crc);
    structure.writeLock().lock();
    try {
      segments.add(next);
    } finally {
      structure.writeLock().unlock();
    }
    sealedIndexes.used(old);
  }

  @Override
  public long sync() {
    ensureWritable();
    if (writtenIndex == durableIndex && !directoryDirty) {
      return durableIndex;
    }
    try {
      active().force();
      if (directoryDirty) {
        Durability.syncDirectory(channels, dir);
        directoryDirty = false;
      }
    } catch (IOException e) {
      throw failed(Durability.fatal("fsync of " + active().path(), e));
    } catch (StorageException e) {
      throw failed(e);
    }
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
    structure.writeLock().lock();
    try {
      int position = segmentPosition(fromIndex);
      Segment target = segments.get(position);
      target.truncate(fromIndex);
      sealedIndexes.forget(target);
      deleteAfter(position);
    } catch (IOException e) {
      throw failed(Durability.fatal("truncation from " + fromIndex + " in " + dir, e));
    } catch (StorageException e) {
      throw failed(e);
    } finally {
      structure.writeLock().unlock();
    }
    writtenIndex = fromIndex - 1;
  }

  /** Deletes the segments after {@code position}, newest first, and syncs the directory. */
  private void deleteAfter(int position) throws IOException {
    if (segments.size() <= position + 1) {
      return;
    }
    while (segments.size() > position + 1) {
      Segment doomed = segments.remove(segments.size() - 1);
      sealedIndexes.forget(doomed);
      doomed.delete();
    }
    Durability.syncDirectory(channels, dir);
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
    List<Segment> doomed = new ArrayList<>();
    try {
      next.write(channels, dir);
      boundary = next;
      cache.compactedBefore(upToIndex + 1);
      structure.writeLock().lock();
      try {
        while (segments.size() > 1
            && segments.get(0).isSealed()
            && segments.get(0).lastIndex() <= upToIndex) {
          doomed.add(segments.remove(0));
        }
      } finally {
        structure.writeLock().unlock();
      }
      for (Segment segment : doomed) {
        sealedIndexes.forget(segment);
        segment.delete();
        directoryDirty = true;
      }
    } catch (IOException e) {
      throw failed(Durability.fatal("compaction up to " + upToIndex + " in " + dir, e));
    } catch (StorageException e) {
      throw failed(e);
    }
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
    structure.writeLock().lock();
    try {
      Segment first = segments.get(0);
      first.truncate(first.firstIndex());
      deleteAfter(0);
      next.write(channels, dir);
      boundary = next;
      segments.remove(0);
      sealedIndexes.forget(first);
      first.delete();
      segments.add(Segment.create(channels, dir, index + 1, config.maxRecordBody()));
      Durability.syncDirectory(channels, dir);
    } catch (IOException e) {
      throw failed(Durability.fatal("reset to " + next + " in " + dir, e));
    } catch (StorageException e) {
      throw failed(e);
    } finally {
      structure.writeLock().unlock();
    }
    writtenIndex = index;
    durableIndex = index;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    structure.writeLock().lock();
    try {
      for (Segment segment : segments) {
        segment.close();
      }
    } catch (IOException e) {
      throw Durability.fatal("closing the log in " + dir, e);
    } finally {
      structure.writeLock().unlock();
    }
  }

  private Segment active() {
    return segments.get(segments.size() - 1);
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
