package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;

/** A local command's reply, and whether the connection must close once it is written (QUIT). */
public record LocalReply(Reply reply, boolean closeAfterReply) {

  static LocalReply of(Reply reply) {
    return new LocalReply(reply, false);
  }
}
