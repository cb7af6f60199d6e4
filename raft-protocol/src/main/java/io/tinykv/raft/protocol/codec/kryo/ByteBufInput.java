package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.KryoBufferUnderflowException;
import io.netty.buffer.ByteBuf;

/**
 * A Kryo {@link Input} that reads from a Netty {@link ByteBuf}. Kryo's buffer is refilled from the
 * ByteBuf in blocks for small values; the part of a byte array that is not already in that buffer
 * is copied straight from the ByteBuf into the destination array, so a large payload is copied
 * exactly once, from the received frame into the array its {@code LogEntry} keeps.
 *
 * <p>Not thread-safe; pooled with its Kryo instance.
 */
final class ByteBufInput extends Input {

  private static final int BUFFER_BYTES = 4096;

  private ByteBuf source;

  ByteBufInput() {
    super(BUFFER_BYTES);
  }

  /** Starts reading the readable bytes of {@code source} (or detaches, if null). */
  void setSource(ByteBuf source) {
    this.source = source;
    position = 0;
    limit = 0;
    total = 0;
  }

  /** The bytes not read yet: those buffered plus those still in the source. */
  int remaining() {
    return limit - position + (source == null ? 0 : source.readableBytes());
  }

  @Override
  protected int fill(byte[] buffer, int offset, int count) {
    int available = source == null ? 0 : Math.min(count, source.readableBytes());
    if (available == 0) {
      return -1;
    }
    source.readBytes(buffer, offset, available);
    return available;
  }

  @Override
  public void readBytes(byte[] bytes, int offset, int count) {
    int buffered = Math.min(limit - position, count);
    System.arraycopy(buffer, position, bytes, offset, buffered);
    position += buffered;
    int rest = count - buffered;
    if (rest == 0) {
      return;
    }
    if (source == null || source.readableBytes() < rest) {
      throw new KryoBufferUnderflowException("Buffer underflow.");
    }
    source.readBytes(bytes, offset + buffered, rest);
    total += rest;
  }
}
