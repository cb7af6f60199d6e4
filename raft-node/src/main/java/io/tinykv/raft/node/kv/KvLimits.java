package io.tinykv.raft.node.kv;

/**
 * Size limits {@link WriteParser} enforces before a write is proposed, so an oversized key or value
 * never reaches the Raft log.
 *
 * @param maxKeyBytes the longest key, in bytes
 * @param maxValueBytes the longest value, in bytes
 */
public record KvLimits(int maxKeyBytes, int maxValueBytes) {

  /** 64 KiB keys and 1 MiB values, near etcd's default request limit of 1.5 MiB. */
  public static final KvLimits DEFAULTS = new KvLimits(64 * 1024, 1024 * 1024);

  public KvLimits {
    if (maxKeyBytes < 1 || maxValueBytes < 0) {
      throw new IllegalArgumentException(
          "limits out of range: maxKeyBytes=" + maxKeyBytes + ", maxValueBytes=" + maxValueBytes);
    }
  }
}
