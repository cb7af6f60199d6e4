package io.tinykv.raft.benchmarks.library;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
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

  /** Writes every pair: {@code u32 count, then per pair u16 key length, key, u32 length, value}. */
  public void writeTo(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    List<Map.Entry<ByteBuffer, byte[]>> pairs = new ArrayList<>(map.entrySet());
    data.writeInt(pairs.size());
    for (Map.Entry<ByteBuffer, byte[]> pair : pairs) {
      ByteBuffer key = pair.getKey().duplicate();
      data.writeShort(key.remaining());
      while (key.hasRemaining()) {
        data.write(key.get());
      }
      data.writeInt(pair.getValue().length);
      data.write(pair.getValue());
    }
    data.flush();
  }

  /** Replaces the contents with what {@link #writeTo} wrote. */
  public void readFrom(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in));
    int count = data.readInt();
    if (count < 0) {
      throw new IOException("a damaged snapshot: " + count + " pairs");
    }
    map.clear();
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[data.readUnsignedShort()];
      data.readFully(key);
      int length = data.readInt();
      if (length < 0 || length > 1 << 24) {
        throw new IOException("a damaged snapshot: a value of " + length + " bytes");
      }
      byte[] value = new byte[length];
      data.readFully(value);
      map.put(ByteBuffer.wrap(key), value);
    }
  }
}
