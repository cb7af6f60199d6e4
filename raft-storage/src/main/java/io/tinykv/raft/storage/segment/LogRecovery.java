package io.tinykv.raft.storage.segment;

import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.storage.CorruptStorageException;
import io.tinykv.raft.storage.FileChannelFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a log directory back to the state of its last durable write, in time that does not grow
 * with the log: sealed segments are checked by their header and seal record only (their records are
 * verified when first read), and only the last segment is scanned record by record.
 *
 * <p>What each crash leaves, and what recovery does with it (the writer's order of steps is what
 * makes every case recognisable):
 *
 * <ul>
 *   <li>a torn tail in the last segment (a partial record, or a checksum failure with no intact
 *       record after it): cut off and logged; it was never synced;
 *   <li>a last segment shorter than its header: a segment whose creation was interrupted; deleted;
 *   <li>a segment that is not last but has no seal and ends cleanly: an interrupted roll or suffix
 *       truncation (the writer unseals before deleting successors); the segments after it are
 *       deleted. If its successors are all empty, a torn seal record is cut off first (a roll
 *       interrupted while sealing; the entries before the seal were synced first);
 *   <li>segments wholly before the compaction boundary: an interrupted compaction; deleted.
 * </ul>
 *
 * Anything else is damage no crash explains, reported as {@link CorruptStorageException} naming the
 * file and offset: a bad header, a checksum failure followed by intact records, an index out of
 * sequence, a gap between segments (a missing file) or a sealed last segment (its successor is
 * missing).
 */
final class LogRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

  private final Path dir;
  private final LogConfig config;
  private final FileChannelFactory channels;
  private final List<Segment> segments = new ArrayList<>();

  private LogRecovery(Path dir, LogConfig config, FileChannelFactory channels) {
    this.dir = dir;
    this.config = config;
    this.channels = channels;
  }

  /**
   * Recovers the segments of {@code dir}, oldest first, the last one unsealed and open for
   * appending; empty if none is left.
   *
   * @param tailVisitor sees the intact entries of the last segment in order
   * @return the segments; the caller syncs the last one and the directory
   */
  static List<Segment> recover(
      Path dir,
      LogConfig config,
      FileChannelFactory channels,
      Boundary boundary,
      Consumer<LogEntry> tailVisitor)
      throws IOException {
    LogRecovery recovery = new LogRecovery(dir, config, channels);
    try {
      recovery.openAll();
      recovery.dropTornCreation();
      recovery.checkHeaders();
      recovery.checkSealedChain();
      recovery.recoverTail(tailVisitor);
      recovery.dropCompacted(boundary);
    } catch (IOException | RuntimeException e) {
      for (Segment segment : recovery.segments) {
        segment.close();
      }
      throw e;
    }
    return List.copyOf(recovery.segments);
  }

  private void openAll() throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      for (Path path : stream) {
        OptionalLong first = SegmentHeader.parseFileName(path.getFileName().toString());
        if (first.isPresent()) {
          files.put(first.getAsLong(), path);
        }
      }
    }
    for (var file : files.entrySet()) {
      segments.add(Segment.open(channels, file.getValue(), file.getKey(), config.maxRecordBody()));
    }
  }

  private void dropTornCreation() throws IOException {
    if (segments.isEmpty()) {
      return;
    }
    Segment last = segments.get(segments.size() - 1);
    if (last.fileSize() <= SegmentHeader.BYTES && last.headerProblem() != null) {
      LOG.warn("Deleting {}: its creation was interrupted before its header was durable", last);
      delete(segments.size() - 1);
    }
  }

  private void checkHeaders() throws IOException {
    for (Segment segment : segments) {
      String problem = segment.headerProblem();
      if (problem != null) {
        throw new CorruptStorageException(segment.path(), 0, problem);
      }
    }
  }

  private void checkSealedChain() throws IOException {
    for (int k = 0; k + 1 < segments.size(); k++) {
      Segment segment = segments.get(k);
      if (!segment.readSeal()) {
        ScanResult scan = segment.recover(entry -> {});
        boolean rollInterrupted = !scan.isClean() && scan.mayBeTorn() && onlyEmptyAfter(k);
        if (!scan.isClean() && !rollInterrupted) {
          throw new CorruptStorageException(segment.path(), scan.offset(), scan.problem());
        }
        if (rollInterrupted) {
          LOG.warn("Cutting a torn seal record off {} at offset {}", segment, scan.offset());
          segment.cutAt(scan.offset());
        }
        if (!scan.sealed()) {
          LOG.warn(
              "{} is not sealed but has successors: a roll or truncation was interrupted;"
                  + " deleting the segments after it",
              segment);
          while (segments.size() > k + 1) {
            delete(segments.size() - 1);
          }
          return;
        }
      }
      Segment next = segments.get(k + 1);
      if (segment.lastIndex() + 1 != next.firstIndex()) {
        throw new CorruptStorageException(
            next.path(),
            -1,
            "missing segment: "
                + segment
                + " ends at "
                + segment.lastIndex()
                + " but the next segment starts at "
                + next.firstIndex());
      }
    }
  }

  private boolean onlyEmptyAfter(int position) throws IOException {
    for (Segment later : segments.subList(position + 1, segments.size())) {
      if (later.fileSize() > SegmentHeader.BYTES) {
        return false;
      }
    }
    return true;
  }

  private void recoverTail(Consumer<LogEntry> visitor) throws IOException {
    if (segments.isEmpty()) {
      return;
    }
    Segment tail = segments.get(segments.size() - 1);
    ScanResult scan = tail.recover(visitor);
    if (scan.sealed()) {
      throw new CorruptStorageException(
          tail.path(),
          scan.offset(),
          "the last segment is sealed, so the segment after it (from index "
              + (tail.lastIndex() + 1)
              + ") is missing");
    }
    if (scan.isClean()) {
      return;
    }
    if (!scan.mayBeTorn() || intactEntryAfter(tail, scan.offset())) {
      throw new CorruptStorageException(
          tail.path(),
          scan.offset(),
          scan.problem() + (scan.mayBeTorn() ? ", and intact records follow it" : ""));
    }
    long cut = tail.fileSize() - scan.offset();
    LOG.warn(
        "Torn tail in {} at offset {} ({}): cutting {} bytes of a write that was never synced;"
            + " the log ends at index {}",
        tail.path(),
        scan.offset(),
        scan.problem(),
        cut,
        tail.lastIndex());
    tail.cutAt(scan.offset());
  }

  private boolean intactEntryAfter(Segment tail, long offset) throws IOException {
    int length = (int) (tail.fileSize() - offset - 1);
    if (length < RecordCodec.ENTRY_OVERHEAD) {
      return false;
    }
    ByteBuffer rest = ByteBuffer.allocate(length);
    try (FileChannel channel = channels.open(tail.path())) {
      while (rest.hasRemaining() && channel.read(rest, offset + 1 + rest.position()) >= 0) {
        // read on
      }
    }
    long nextIndex = tail.lastIndex() + 1;
    long maxIndex = nextIndex + length / RecordCodec.ENTRY_OVERHEAD;
    return RecordCodec.anyIntactEntry(
        rest, 0, rest.position(), nextIndex, maxIndex, config.maxRecordBody());
  }

  private void dropCompacted(Boundary boundary) throws IOException {
    while (!segments.isEmpty()
        && segments.get(0).firstIndex() <= boundary.index()
        && segments.get(0).lastIndex() <= boundary.index()) {
      LOG.info(
          "Deleting {}: compacted up to {} before the last shutdown", segments.get(0), boundary);
      delete(0);
    }
    if (!segments.isEmpty() && segments.get(0).firstIndex() > boundary.index() + 1) {
      throw new CorruptStorageException(
          segments.get(0).path(),
          -1,
          "missing segment: the log was compacted up to "
              + boundary.index()
              + " but its first segment starts at "
              + segments.get(0).firstIndex());
    }
  }

  private void delete(int position) throws IOException {
    segments.remove(position).delete();
  }
}
