package io.tinykv.raft.node.kv;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link WriteOp} in the Raft log. Every replica decodes the same bytes, so
 * the format is explicit and versioned; it never changes meaning, only gains versions.
 *
 * <pre>
 * byte     format version (1)
 * byte     opcode: 1 SET, 2 DEL, 3 INCRBY, 4 MSET
 * varint   argument count
 * repeated varint length, then that many bytes
 *
 * SET      key, value, flags (one byte: 0x01 NX, 0x02 XX, 0x04 GET)
 * DEL      key...                   (at least one)
 * INCRBY   key, delta (8 bytes, big-endian two's complement); INCR and DECR are deltas 1 and -1
 * MSET     key, value [key, value ...]
 * </pre>
 *
 * Varints are unsigned LEB128 of at most 5 bytes holding a non-negative int.
 */
public final class CommandCodec {

  public static final byte VERSION = 1;

  static final byte OP_SET = 1;
  static final byte OP_DEL = 2;
  static final byte OP_INCRBY = 3;
  static final byte OP_MSET = 4;

  static final int FLAG_NX = 0x01;
  static final int FLAG_XX = 0x02;
  static final int FLAG_GET = 0x04;

  private CommandCodec() {}

  public static byte[] encode(WriteOp op) {
    List<byte[]> args = new ArrayList<>();
    byte opcode;
    if (op instanceof WriteOp.Set set) {
      opcode = OP_SET;
      args.add(set.key().array());
      args.add(set.value().array());
      args.add(new byte[] {(byte) setFlags(set)});
    } else if (op instanceof WriteOp.Del del) {
      opcode = OP_DEL;
      del.keys().forEach(key -> args.add(key.array()));
    } else if (op instanceof WriteOp.IncrBy incr) {
      opcode = OP_INCRBY;
      args.add(incr.key().array());
      args.add(longBytes(incr.delta()));
    } else {
      WriteOp.MSet mset = (WriteOp.MSet) op;
      opcode = OP_MSET;
      for (int i = 0; i < mset.keys().size(); i++) {
        args.add(mset.keys().get(i).array());
        args.add(mset.values().get(i).array());
      }
    }
    return write(opcode, args);
  }

  /** The command in {@code bytes}; throws {@link MalformedCommandException} if it is not one. */
  public static WriteOp decode(byte[] bytes) {
    if (bytes.length < 2) {
      throw new MalformedCommandException("command of " + bytes.length + " bytes is too short");
    }
    if (bytes[0] != VERSION) {
      throw new MalformedCommandException(
          "unknown command format version "
              + (bytes[0] & 0xff)
              + "; this node reads version "
              + VERSION
              + " (was it proposed by a newer node?)");
    }
    List<Bytes> args = new Reader(bytes, 2).args();
    byte opcode = bytes[1];
    return switch (opcode) {
      case OP_SET -> {
        require(args.size() == 3 && args.get(2).length() == 1, "SET", args);
        yield set(args);
      }
      case OP_DEL -> {
        require(!args.isEmpty(), "DEL", args);
        yield new WriteOp.Del(args);
      }
      case OP_INCRBY -> {
        require(args.size() == 2 && args.get(1).length() == Long.BYTES, "INCRBY", args);
        yield new WriteOp.IncrBy(args.get(0), readLong(args.get(1).array()));
      }
      case OP_MSET -> {
        require(!args.isEmpty() && args.size() % 2 == 0, "MSET", args);
        yield mset(args);
      }
      default ->
          throw new MalformedCommandException(
              "unknown opcode " + (opcode & 0xff) + " in command format version " + VERSION);
    };
  }

  private static int setFlags(WriteOp.Set set) {
    int flags = set.returnOld() ? FLAG_GET : 0;
    return switch (set.condition()) {
      case IF_ABSENT -> flags | FLAG_NX;
      case IF_PRESENT -> flags | FLAG_XX;
      case ALWAYS -> flags;
    };
  }

  private static WriteOp.Set set(List<Bytes> args) {
    int flags = args.get(2).array()[0] & 0xff;
    if ((flags & ~(FLAG_NX | FLAG_XX | FLAG_GET)) != 0
        || (flags & (FLAG_NX | FLAG_XX)) == (FLAG_NX | FLAG_XX)) {
      throw new MalformedCommandException("invalid SET flags " + flags);
    }
    WriteOp.Condition condition =
        (flags & FLAG_NX) != 0
            ? WriteOp.Condition.IF_ABSENT
            : (flags & FLAG_XX) != 0 ? WriteOp.Condition.IF_PRESENT : WriteOp.Condition.ALWAYS;
    return new WriteOp.Set(args.get(0), args.get(1), condition, (flags & FLAG_GET) != 0);
  }

  private static WriteOp.MSet mset(List<Bytes> args) {
    List<Bytes> keys = new ArrayList<>(args.size() / 2);
    List<Bytes> values = new ArrayList<>(args.size() / 2);
    for (int i = 0; i < args.size(); i += 2) {
      keys.add(args.get(i));
      values.add(args.get(i + 1));
    }
    return new WriteOp.MSet(keys, values);
  }

  private static void require(boolean valid, String op, List<Bytes> args) {
    if (!valid) {
      throw new MalformedCommandException(
          "malformed " + op + " command: " + args.size() + " arguments of the wrong shape");
    }
  }

  private static byte[] write(byte opcode, List<byte[]> args) {
    int size = 2 + varintSize(args.size());
    for (byte[] arg : args) {
      size = Math.addExact(size, varintSize(arg.length) + arg.length);
    }
    byte[] out = new byte[size];
    out[0] = VERSION;
    out[1] = opcode;
    int pos = writeVarint(out, 2, args.size());
    for (byte[] arg : args) {
      pos = writeVarint(out, pos, arg.length);
      System.arraycopy(arg, 0, out, pos, arg.length);
      pos += arg.length;
    }
    return out;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  private static int writeVarint(byte[] out, int pos, int value) {
    while ((value & ~0x7f) != 0) {
      out[pos++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[pos++] = (byte) value;
    return pos;
  }

  private static byte[] longBytes(long value) {
    byte[] bytes = new byte[Long.BYTES];
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      bytes[i] = (byte) value;
      value >>= 8;
    }
    return bytes;
  }

  private static long readLong(byte[] bytes) {
    long value = 0;
    for (byte b : bytes) {
      value = (value << 8) | (b & 0xff);
    }
    return value;
  }

  /** Reads the argument list after the opcode, checking every length against what is left. */
  private static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] bytes, int pos) {
      this.bytes = bytes;
      this.pos = pos;
    }

    List<Bytes> args() {
      int count = varint();
      // Each argument takes at least its one-byte length: a larger count cannot be honest.
      if (count > bytes.length - pos) {
        throw new MalformedCommandException("argument count " + count + " exceeds the command");
      }
      List<Bytes> args = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int length = varint();
        if (length > bytes.length - pos) {
          throw new MalformedCommandException(
              "argument " + i + " of " + length + " bytes runs past the end of the command");
        }
        byte[] arg = new byte[length];
        System.arraycopy(bytes, pos, arg, 0, length);
        pos += length;
        args.add(Bytes.wrap(arg));
      }
      if (pos != bytes.length) {
        throw new MalformedCommandException(
            (bytes.length - pos) + " unexpected bytes after the last argument");
      }
      return args;
    }

    private int varint() {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (pos == bytes.length) {
          throw new MalformedCommandException("command ends inside a length");
        }
        byte b = bytes[pos++];
        value |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          if (value < 0 || (shift == 28 && (b & 0x70) != 0)) {
            throw new MalformedCommandException("length out of range");
          }
          return value;
        }
      }
      throw new MalformedCommandException("length longer than 5 bytes");
    }
  }
}
