package io.tinykv.raft.node.kv.resp;

import java.util.OptionalLong;

/**
 * The strict decimal parsing Redis applies to integers in requests and to stored values (its {@code
 * string2ll}): an optional minus sign, then digits with no leading zero, no plus sign, no
 * whitespace, and no overflow of a signed 64-bit value. {@code "-0"} and {@code "007"} are not
 * integers.
 */
public final class RedisIntegers {

  private RedisIntegers() {}

  /** The value of {@code bytes}, or empty if it is not a Redis integer. */
  public static OptionalLong parse(byte[] bytes) {
    return parse(bytes, 0, bytes.length);
  }

  /** The value of {@code bytes[from, to)}, or empty if it is not a Redis integer. */
  public static OptionalLong parse(byte[] bytes, int from, int to) {
    int len = to - from;
    if (len <= 0 || len > 20) {
      return OptionalLong.empty();
    }
    if (len == 1 && bytes[from] == '0') {
      return OptionalLong.of(0);
    }
    boolean negative = bytes[from] == '-';
    int i = negative ? from + 1 : from;
    if (i == to || bytes[i] < '1' || bytes[i] > '9') {
      return OptionalLong.empty();
    }
    // Accumulate negatively: the negative range holds one more value than the positive one.
    long value = 0;
    for (; i < to; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9 || value < (Long.MIN_VALUE + digit) / 10) {
        return OptionalLong.empty();
      }
      value = value * 10 - digit;
    }
    if (negative) {
      return OptionalLong.of(value);
    }
    return value == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(-value);
  }

  /** The decimal text of {@code value} as ASCII bytes, as Redis stores an INCR result. */
  public static byte[] toBytes(long value) {
    String text = Long.toString(value);
    byte[] bytes = new byte[text.length()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) text.charAt(i);
    }
    return bytes;
  }
}
