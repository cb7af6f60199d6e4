package io.tinykv.raft.node.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable, binary-safe byte string with content equality: the key type of the store and the
 * argument type of {@link WriteOp}. Ordered by unsigned bytes, so that a hash bin flooded with
 * colliding keys degrades to a balanced tree, not a list.
 */
public final class Bytes implements Comparable<Bytes> {

  private final byte[] bytes;

  /** Cached content hash; 0 until first computed (an all-zero hash is recomputed, harmlessly). */
  private int hash;

  private Bytes(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A byte string holding a copy of {@code bytes}. */
  public static Bytes copyOf(byte[] bytes) {
    return new Bytes(bytes.clone());
  }

  /** The UTF-8 bytes of {@code text}. */
  public static Bytes of(String text) {
    return new Bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Takes {@code bytes} without copying; the caller must never change the array again. */
  static Bytes wrap(byte[] bytes) {
    return new Bytes(bytes);
  }

  public int length() {
    return bytes.length;
  }

  /** A copy of the content. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The content itself; callers in this package only read it. */
  byte[] array() {
    return bytes;
  }

  public String utf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return utf8();
  }
}
