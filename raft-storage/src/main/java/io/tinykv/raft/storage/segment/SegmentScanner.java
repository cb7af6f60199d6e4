package io.tinykv.raft.storage.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads the records of a segment file in order, through a buffer that grows for big records. */
final class SegmentScanner {

  private static final int BUFFER_BYTES = 1 << 20;

  private final FileChannel channel;
  private final long fileEnd;
  private final int maxBody;

  /** Holds the file's bytes from {@code bufferStart} on, up to its limit. */
  private ByteBuffer buffer;

  private long bufferStart;
  private long position;

  SegmentScanner(FileChannel channel, long start, long fileEnd, int maxBody) {
    this.channel = channel;
    this.fileEnd = fileEnd;
    this.maxBody = maxBody;
    this.buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(0, fileEnd - start)));
    this.buffer.limit(0);
    this.bufferStart = start;
    this.position = start;
  }

  /** The file offset of the next record. */
  long position() {
    return position;
  }

  /**
   * Decodes the next record and moves past it if it is intact; returns null at the end of the file.
   * An {@link Decoded.Kind#INCOMPLETE} or {@link Decoded.Kind#CORRUPT} outcome leaves the position
   * at the bad record.
   */
  Decoded next() throws IOException {
    while (position < fileEnd) {
      int relative = (int) (position - bufferStart);
      boolean fileHasMore = bufferStart + buffer.limit() < fileEnd;
      Decoded decoded = RecordCodec.decode(buffer, relative, buffer.limit(), maxBody, fileHasMore);
      if (decoded.kind() != Decoded.Kind.NEED_MORE) {
        if (decoded.kind() == Decoded.Kind.ENTRY || decoded.kind() == Decoded.Kind.SEAL) {
          position += decoded.recordBytes();
        }
        return decoded;
      }
      boolean headerRead = buffer.limit() - relative >= RecordCodec.FRAME_BYTES;
      refill(headerRead ? RecordCodec.FRAME_BYTES + buffer.getInt(relative) : BUFFER_BYTES);
    }
    return null;
  }

  /** Moves the unread bytes to the front and reads on, holding at least {@code needed} bytes. */
  private void refill(int needed) throws IOException {
    buffer.position((int) (position - bufferStart));
    buffer.compact();
    bufferStart = position;
    if (needed > buffer.capacity()) {
      ByteBuffer bigger = ByteBuffer.allocate(needed);
      buffer.flip();
      bigger.put(buffer);
      buffer = bigger;
    }
    buffer.limit((int) Math.min(buffer.capacity(), fileEnd - bufferStart));
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
        break;
      }
    }
    buffer.flip();
  }
}
