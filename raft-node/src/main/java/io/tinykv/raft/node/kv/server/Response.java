package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.kv.resp.Reply;

/**
 * The reply to one client request, and whether the connection must close once it is written (after
 * QUIT, or after a protocol error).
 */
public record Response(Reply reply, boolean closeAfterReply) {

  public static Response of(Reply reply) {
    return new Response(reply, false);
  }
}
