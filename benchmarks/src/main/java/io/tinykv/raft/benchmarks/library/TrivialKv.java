package io.tinykv.raft.benchmarks.library;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The benchmark's state machine, the same for every system: a hash map of byte keys to byte values.
 * A command is {@code u8 op (1 = put) | u16 key length | key | value}. Applied on one thread; read
 * from any (some libraries answer reads on their own threads), hence the concurrent map.
 */
public final class TrivialKv {

  static final byte PUT = 1;

  private final Map<ByteBuffer, byte[]> map = new ConcurrentHashMap<>();

  /** Encodes a put of {@code value} under {@code key}. */
  public static byte[] put(byte[] key, byte[] value) {
    if (key.length > 0xFFFF) {
      throw new IllegalArgumentException("keys are at most 65535 bytes, got " + key.length);
    }
    ByteBuffer command = ByteBuffer.allocate(3 + key.length + value.length);
    command.put(PUT).putShort((short) key.length).put(key).put(value);
    return command.array();
  }

  /** Applies {@code command}; returns the number of keys after it. */
  public long apply(ByteBuffer command) {
    byte op = command.get();
    if (op != PUT) {
      throw new IllegalArgumentException("unknown operation " + op);
    }
    int keyLength = Short.toUnsignedInt(command.getShort());
    byte[] key = new byte[keyLength];
    command.get(key);
    byte[] value = new byte[command.remaining()];
    command.get(value);
    map.put(ByteBuffer.wrap(key), value);
    return map.size();
  }

  public long apply(byte[] command) {
    return apply(ByteBuffer.wrap(command));
  }

  /** The value under {@code key}, or null. */
  public byte[] get(byte[] key) {
    return map.get(ByteBuffer.wrap(key));
  }

  public int size() {
    return map.size();
  }
}
