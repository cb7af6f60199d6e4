package io.tinykv.raft.node.kv.resp;

/**
 * Limits the RESP decoder enforces on one client connection. A request beyond any of them is a
 * protocol error that closes the connection, so a client cannot make the server buffer without
 * bound.
 *
 * @param maxArguments the most arguments (command name included) in one request
 * @param maxBulkLength the longest single argument, in bytes
 * @param maxInlineLength the longest inline command line, in bytes, without its line end
 * @param maxRequestBytes the most argument bytes in one multibulk request, all arguments together
 */
public record RespLimits(
    int maxArguments, int maxBulkLength, int maxInlineLength, long maxRequestBytes) {

  /**
   * Redis's own limits for arguments (1M) and inline lines (64 KiB); 64 MiB for one argument and
   * 128 MiB for a whole request, well above the state machine's value limit so that a too-large
   * value gets the state machine's clearer error instead of a dropped connection.
   */
  public static final RespLimits DEFAULTS =
      new RespLimits(1024 * 1024, 64 * 1024 * 1024, 64 * 1024, 128L * 1024 * 1024);

  public RespLimits {
    if (maxArguments < 1) {
      throw new IllegalArgumentException("maxArguments must be at least 1: " + maxArguments);
    }
    if (maxBulkLength < 0 || maxBulkLength > Integer.MAX_VALUE - 2) {
      throw new IllegalArgumentException("maxBulkLength out of range: " + maxBulkLength);
    }
    if (maxInlineLength < 1 || maxInlineLength > Integer.MAX_VALUE - 2) {
      throw new IllegalArgumentException("maxInlineLength out of range: " + maxInlineLength);
    }
    if (maxRequestBytes < maxBulkLength) {
      throw new IllegalArgumentException(
          "maxRequestBytes ("
              + maxRequestBytes
              + ") is below maxBulkLength ("
              + maxBulkLength
              + ")");
    }
  }
}
