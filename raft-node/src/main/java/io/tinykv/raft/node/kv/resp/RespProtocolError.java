package io.tinykv.raft.node.kv.resp;

/**
 * What {@link RespDecoder} passes on, in order after the requests before it, when the input breaks
 * the protocol or a {@link RespLimits} limit. The decoder discards everything after it; the
 * connection's handler must write {@link #reply()} once the replies to the earlier requests are
 * written, and then close the connection.
 *
 * @param reason what was wrong, without the {@code Protocol error: } prefix
 */
public record RespProtocolError(String reason) {

  /** {@code -ERR Protocol error: <reason>}, as Redis words it. */
  public Reply.ErrorReply reply() {
    return Reply.err("Protocol error: " + reason);
  }
}
