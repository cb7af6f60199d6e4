package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;

/**
 * A Kryo {@link Output} that writes into a Netty {@link ByteBuf}. Small values are staged in Kryo's
 * buffer and flushed to the ByteBuf in blocks; a byte array of {@value #DIRECT_WRITE_BYTES} bytes
 * or more (an entry payload, a snapshot chunk) is copied straight from the array into the ByteBuf,
 * so it is copied exactly once on its way to the socket.
 *
 * <p>Not thread-safe; pooled with its Kryo instance.
 */
final class ByteBufOutput extends Output {

  private static final int BUFFER_BYTES = 4096;
  static final int DIRECT_WRITE_BYTES = 256;

  private ByteBuf target;

  ByteBufOutput() {
    super(BUFFER_BYTES, BUFFER_BYTES);
  }

  /** Starts writing to {@code target} (or detaches, if null), discarding anything unflushed. */
  void setTarget(ByteBuf target) {
    this.target = target;
    position = 0;
    total = 0;
  }

  @Override
  public void flush() {
    if (position == 0) {
      return;
    }
    if (target == null) {
      throw new IllegalStateException("no target ByteBuf to flush to");
    }
    target.writeBytes(buffer, 0, position);
    total += position;
    position = 0;
  }

  @Override
  public void writeBytes(byte[] bytes, int offset, int count) {
    if (count < DIRECT_WRITE_BYTES && count <= capacity - position) {
      super.writeBytes(bytes, offset, count);
      return;
    }
    flush();
    target.writeBytes(bytes, offset, count);
    total += count;
  }
}
