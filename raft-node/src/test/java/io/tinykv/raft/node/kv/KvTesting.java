package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.RespRequest;

/** Shortcuts from request text to the values the tests work with. */
final class KvTesting {

  private KvTesting() {}

  /** The resolved call of a valid request; fails the test if the request is not valid. */
  static CommandCall call(String... args) {
    return CommandTable.resolve(RespRequest.of(args)).value();
  }

  /** The write a valid write request makes. */
  static WriteOp op(String... args) {
    return new WriteParser(KvLimits.DEFAULTS).parse(call(args)).value();
  }

  /** The replicated bytes of a valid write request. */
  static byte[] command(String... args) {
    return op(args).encode();
  }
}
