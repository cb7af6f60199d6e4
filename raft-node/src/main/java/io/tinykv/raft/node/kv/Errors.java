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
  static ErrorReply unknownSubcommand(String subcommand, Command command) {
    return Reply.err(
        "unknown subcommand '" + truncate(subcommand) + "'. Try " + command.name() + " HELP.");
  }

  /** Redis prints at most 128 characters of a client's argument in an error. */
  static String truncate(String arg) {
    return arg.length() <= 128 ? arg : arg.substring(0, 128);
  }
}
