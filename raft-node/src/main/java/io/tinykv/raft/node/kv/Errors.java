package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.Reply.ErrorReply;

/** The error replies shared by several commands, worded as Redis words them. */
final class Errors {

  static final ErrorReply NOT_AN_INTEGER = Reply.err("value is not an integer or out of range");
  static final ErrorReply OVERFLOW = Reply.err("increment or decrement would overflow");
  static final ErrorReply SYNTAX = Reply.err("syntax error");
  static final ErrorReply NOAUTH = Reply.error("NOAUTH Authentication required.");
  static final ErrorReply WRONGPASS =
      Reply.error("WRONGPASS invalid username-password pair or user is disabled.");

  private Errors() {}

  /** {@code ERR wrong number of arguments for 'set' command}; {@code name} may be 'client|id'. */
  static ErrorReply wrongArity(String name) {
    return Reply.err("wrong number of arguments for '" + name + "' command");
  }

  /** {@code ERR unknown subcommand 'foo'. Try CLIENT HELP.} */
  static ErrorReply unknownSubcommand(CommandCall call) {
    return Reply.err(
        "unknown subcommand '" + quoted(call, 1) + "'. Try " + call.command().name() + " HELP.");
  }

  /** Redis quotes at most 128 bytes of a client's argument in an error. */
  static String quoted(CommandCall call, int i) {
    return call.request().argPreview(i, 128);
  }
}
