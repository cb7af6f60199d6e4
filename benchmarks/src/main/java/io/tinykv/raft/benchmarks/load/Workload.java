package io.tinykv.raft.benchmarks.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What each request looks like: keys drawn uniformly from {@code keySpace} keys of exactly {@code
 * keyBytes} bytes ({@code k} and a zero-padded number), values of {@code valueBytes} bytes, and a
 * share {@code readRatio} of reads.
 */
public record Workload(int keyBytes, int keySpace, int valueBytes, double readRatio) {

  /** The comparison workload: 16-byte keys from 10,000, 100-byte values, writes only. */
  public static final Workload STANDARD = new Workload(16, 10_000, 100, 0.0);

  public Workload {
    if (keySpace < 1) {
      throw new IllegalArgumentException("keySpace must be >= 1, got " + keySpace);
    }
    int digits = Integer.toString(keySpace - 1).length();
    if (keyBytes < digits + 1 || keyBytes > 1024) {
      throw new IllegalArgumentException(
          "keyBytes must be between "
              + (digits + 1)
              + " (to number "
              + keySpace
              + " keys) and 1024, got "
              + keyBytes);
    }
    if (valueBytes < 0 || valueBytes > 1 << 20) {
      throw new IllegalArgumentException("valueBytes must be 0..1048576, got " + valueBytes);
    }
    if (!(readRatio >= 0 && readRatio <= 1)) {
      throw new IllegalArgumentException("readRatio must be in [0, 1], got " + readRatio);
    }
  }

  /** Key number {@code i}: {@code k} followed by {@code i}, zero-padded to {@link #keyBytes}. */
  public byte[] key(int i) {
    String digits = String.format(Locale.ROOT, "%0" + (keyBytes - 1) + "d", i);
    return ("k" + digits).getBytes(StandardCharsets.US_ASCII);
  }

  /** Every key, built once so the load loop allocates nothing for keys. */
  public byte[][] keys() {
    byte[][] keys = new byte[keySpace][];
    for (int i = 0; i < keySpace; i++) {
      keys[i] = key(i);
    }
    return keys;
  }

  /** A value of {@link #valueBytes} printable bytes (the same for every write). */
  public byte[] value() {
    byte[] value = new byte[valueBytes];
    Arrays.fill(value, (byte) 'v');
    return value;
  }

  /** Whether the next request is a read, drawn from {@code random}. */
  boolean nextIsRead(SplittableRandom random) {
    return readRatio > 0 && random.nextDouble() < readRatio;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d-byte keys from %,d, %d-byte values, %.0f%% reads",
        keyBytes,
        keySpace,
        valueBytes,
        readRatio * 100);
  }
}
