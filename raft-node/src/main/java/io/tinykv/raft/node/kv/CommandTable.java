package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.util.HashMap;
import java.util.Map;

/** Looks requests up: a case-insensitive command name and a valid argument count. */
public final class CommandTable {

  /** Redis quotes at most this much of the arguments of an unknown command. */
  private static final int QUOTED_ARGS = 128;

  private static final Map<String, Command> BY_NAME = new HashMap<>();

  static {
    for (Command command : Command.values()) {
      BY_NAME.put(command.name(), command);
    }
  }

  private CommandTable() {}

  /**
   * The command {@code request} names, or the error to reply: {@code -ERR unknown command ...} or
   * {@code -ERR wrong number of arguments ...}. For SUBMIT, the wrapped command is resolved too and
   * must be a write.
   */
  public static Validated<CommandCall> resolve(RespRequest request) {
    Command command = lookup(request.commandName());
    if (command == null) {
      return Validated.invalid(unknownCommand(request));
    }
    if (!command.acceptsArgCount(request.size())) {
      return Validated.invalid(Errors.wrongArity(command.lowerName()));
    }
    if (command == Command.SUBMIT) {
      Validated<CommandCall> inner = resolve(request.tail(1));
      if (!inner.isValid()) {
        return inner;
      }
      if (inner.value().command().kind() != CommandKind.WRITE) {
        return Validated.invalid(
            Reply.err(
                "SUBMIT takes a write command (SET, DEL, INCR, INCRBY, DECR, MSET), not '"
                    + inner.value().command().lowerName()
                    + "'"));
      }
    }
    return Validated.valid(new CommandCall(command, request));
  }

  /** The command of an upper-case name, or null. */
  static Command lookup(String upperCaseName) {
    return BY_NAME.get(upperCaseName);
  }

  /** {@code ERR unknown command 'foo', with args beginning with: 'a' 'b' }, as Redis 7 says it. */
  static Reply.ErrorReply unknownCommand(RespRequest request) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < request.size() && args.length() < QUOTED_ARGS; i++) {
      int room = QUOTED_ARGS - args.length();
      args.append('\'').append(request.argPreview(i, room)).append("' ");
    }
    return Reply.err(
        "unknown command '"
            + request.argPreview(0, QUOTED_ARGS)
            + "', with args beginning with: "
            + args);
  }
}
