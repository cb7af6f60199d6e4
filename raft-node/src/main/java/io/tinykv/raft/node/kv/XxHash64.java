package io.tinykv.raft.node.kv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64 (xxHash, 64-bit), the fast non-cryptographic hash behind the state digest. It only has to
 * tell replicas apart that diverged by accident, not resist an adversary.
 */
final class XxHash64 {

  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private XxHash64() {}

  static long hash(byte[] input, long seed) {
    int len = input.length;
    int pos = 0;
    long h;
    if (len >= 32) {
      long v1 = seed + P1 + P2;
      long v2 = seed + P2;
      long v3 = seed;
      long v4 = seed - P1;
      for (; pos <= len - 32; pos += 32) {
        v1 = round(v1, (long) LONG_LE.get(input, pos));
        v2 = round(v2, (long) LONG_LE.get(input, pos + 8));
        v3 = round(v3, (long) LONG_LE.get(input, pos + 16));
        v4 = round(v4, (long) LONG_LE.get(input, pos + 24));
      }
      h =
          Long.rotateLeft(v1, 1)
              + Long.rotateLeft(v2, 7)
              + Long.rotateLeft(v3, 12)
              + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = seed + P5;
    }
    h += len;
    for (; pos <= len - 8; pos += 8) {
      h ^= round(0, (long) LONG_LE.get(input, pos));
      h = Long.rotateLeft(h, 27) * P1 + P4;
    }
    if (pos <= len - 4) {
      h ^= (((int) INT_LE.get(input, pos)) & 0xFFFFFFFFL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      pos += 4;
    }
    for (; pos < len; pos++) {
      h ^= (input[pos] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    return Long.rotateLeft(acc + input * P2, 31) * P1;
  }

  private static long merge(long h, long v) {
    return (h ^ round(0, v)) * P1 + P4;
  }
}
