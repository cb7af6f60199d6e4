package io.tinykv.raft.node.kv;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot format of {@link KvStateMachine}, version 1:
 *
 * <pre>
 * 4 bytes   magic "TKVS"
 * 1 byte    format version (1)
 * 1 byte    compression (1 = zstd)
 * then one zstd frame (with zstd's content checksum) holding the body, all integers big-endian:
 *   8 bytes   applied index
 *   8 bytes   pair count n
 *   n times   4-byte key length, key, 4-byte value length, value
 *   8 bytes   state digest (the sum of the pair hashes, see KvStateMachine#digest)
 *   4 bytes   CRC32C of the body bytes before it
 * and nothing after the frame.
 * </pre>
 *
 * Restoring checks the magic, version, both checksums, the digest recomputed from the pairs, and
 * that nothing follows; a snapshot that fails any check is refused with an {@link IOException}
 * saying which, and the state is left as it was.
 */
final class KvSnapshot {

  static final int MAGIC = 0x544B5653; // "TKVS"
  static final byte VERSION = 1;
  static final byte ZSTD = 1;

  /** Fast compression: snapshots are taken while applying waits. */
  private static final int ZSTD_LEVEL = 3;

  private static final int BUFFER = 64 * 1024;

  /** A restored state, checked. */
  record State(long appliedIndex, Map<Bytes, byte[]> data, long digest) {}

  private KvSnapshot() {}

  /** Writes {@code state} to {@code out}, which stays open. */
  static void write(State state, OutputStream out) throws IOException {
    DataOutputStream header = new DataOutputStream(out);
    header.writeInt(MAGIC);
    header.writeByte(VERSION);
    header.writeByte(ZSTD);
    header.flush();
    ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
    zstd.setChecksum(true);
    CRC32C crc = new CRC32C();
    DataOutputStream body =
        new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(zstd, BUFFER), crc));
    body.writeLong(state.appliedIndex());
    body.writeLong(state.data().size());
    for (Map.Entry<Bytes, byte[]> pair : state.data().entrySet()) {
      writeBytes(body, pair.getKey().array());
      writeBytes(body, pair.getValue());
    }
    body.writeLong(state.digest());
    body.writeInt((int) crc.getValue());
    body.flush();
    zstd.closeWithoutClosingParentStream();
    out.flush();
  }

  /** Reads a snapshot written by {@link #write}, checking it whole; {@code in} stays open. */
  static State read(InputStream in) throws IOException {
    try {
      readHeader(new DataInputStream(in));
      try (ZstdInputStreamNoFinalizer zstd = new ZstdInputStreamNoFinalizer(new Unclosable(in))) {
        CRC32C crc = new CRC32C();
        DataInputStream body =
            new DataInputStream(new CheckedInputStream(new BufferedInputStream(zstd, BUFFER), crc));
        State state = readBody(body, crc);
        if (body.read() >= 0) {
          throw corrupt("unexpected bytes after the end of the snapshot");
        }
        return state;
      }
    } catch (EOFException e) {
      throw corrupt("truncated");
    } catch (ZstdIOException e) {
      throw corrupt("compressed data is damaged (" + e.getMessage() + ")");
    }
  }

  private static void readHeader(DataInputStream header) throws IOException {
    int magic = header.readInt();
    if (magic != MAGIC) {
      throw corrupt(String.format("bad magic 0x%08x, not a TinyKV snapshot", magic));
    }
    int version = header.readUnsignedByte();
    if (version != VERSION) {
      throw corrupt("unknown format version " + version + "; this node reads version " + VERSION);
    }
    int compression = header.readUnsignedByte();
    if (compression != ZSTD) {
      throw corrupt("unknown compression " + compression);
    }
  }

  private static State readBody(DataInputStream body, CRC32C crc) throws IOException {
    long appliedIndex = body.readLong();
    long count = body.readLong();
    if (appliedIndex < 0 || count < 0 || count > Integer.MAX_VALUE) {
      throw corrupt("applied index " + appliedIndex + " or pair count " + count + " out of range");
    }
    Map<Bytes, byte[]> data = new HashMap<>();
    long digest = 0;
    for (long i = 0; i < count; i++) {
      Bytes key = Bytes.wrap(readBytes(body));
      byte[] value = readBytes(body);
      if (data.put(key, value) != null) {
        throw corrupt("key " + key + " appears twice");
      }
      digest += KvStateMachine.pairHash(key, value);
    }
    long storedDigest = body.readLong();
    int expectedCrc = (int) crc.getValue();
    int storedCrc = body.readInt();
    if (storedCrc != expectedCrc) {
      throw corrupt(
          String.format("checksum mismatch (stored %08x, computed %08x)", storedCrc, expectedCrc));
    }
    if (storedDigest != digest) {
      throw corrupt(
          String.format("digest mismatch (stored %016x, computed %016x)", storedDigest, digest));
    }
    return new State(appliedIndex, data, digest);
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      throw corrupt("negative length " + length);
    }
    // readNBytes grows its buffer as data arrives, so a damaged length cannot force a huge array.
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException();
    }
    return bytes;
  }

  private static IOException corrupt(String reason) {
    return new IOException("cannot restore the key-value snapshot: " + reason);
  }

  /** Lets the zstd stream be closed, freeing its native memory, without closing the caller's. */
  private static final class Unclosable extends FilterInputStream {
    Unclosable(InputStream in) {
      super(in);
    }

    @Override
    public void close() {}
  }
}
