package io.tinykv.raft.node.kv.resp;

/** Input that breaks RESP; its message becomes a {@link RespProtocolError} reason. */
final class ProtocolViolation extends Exception {

  ProtocolViolation(String reason) {
    super(reason, null, false, false);
  }
}
