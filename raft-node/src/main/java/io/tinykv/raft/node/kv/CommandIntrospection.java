package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code COMMAND [COUNT | INFO [name ...] | DOCS [name ...] | LIST]}: the command table in Redis
 * 7's shape. DOCS answers an empty map: {@code redis-cli} then simply shows no hints.
 */
final class CommandIntrospection {

  private CommandIntrospection() {}

  static Reply answer(CommandCall call) {
    if (call.argCount() == 0) {
      return all();
    }
    String sub = call.request().keyword(1);
    return switch (sub) {
      case "COUNT" ->
          call.argCount() == 1
              ? Reply.integer(Command.values().length)
              : Errors.wrongArity("command|count");
      case "LIST" -> {
        List<Reply> names = new ArrayList<>();
        for (Command command : Command.values()) {
          names.add(Reply.bulk(command.lowerName()));
        }
        yield Reply.array(names);
      }
      case "INFO" -> call.argCount() == 1 ? all() : info(call);
      case "DOCS" -> Reply.EMPTY_ARRAY;
      default -> Errors.unknownSubcommand(call);
    };
  }

  private static Reply info(CommandCall call) {
    List<Reply> entries = new ArrayList<>();
    for (int i = 2; i <= call.argCount(); i++) {
      Command command = CommandTable.lookup(call.request().keyword(i));
      entries.add(command == null ? Reply.NULL_BULK : entry(command));
    }
    return Reply.array(entries);
  }

  private static Reply all() {
    List<Reply> entries = new ArrayList<>();
    for (Command command : Command.values()) {
      entries.add(entry(command));
    }
    return Reply.array(entries);
  }

  /**
   * name, arity, flags, first key, last key, key step, ACL categories, tips, key specifications,
   * subcommands.
   */
  private static Reply entry(Command command) {
    return Reply.array(
        Reply.bulk(command.lowerName()),
        Reply.integer(command.arity()),
        Reply.array(flags(command)),
        Reply.integer(command.firstKey()),
        Reply.integer(command.lastKey()),
        Reply.integer(command.keyStep()),
        Reply.EMPTY_ARRAY,
        Reply.EMPTY_ARRAY,
        Reply.EMPTY_ARRAY,
        Reply.EMPTY_ARRAY);
  }

  private static List<Reply> flags(Command command) {
    List<Reply> flags = new ArrayList<>();
    List<String> names =
        switch (command.kind()) {
          case WRITE -> List.of("write", "denyoom");
          case READ -> List.of("readonly", "fast");
          case LOCAL -> List.of("fast");
          case ADMIN -> List.of("admin");
        };
    names.forEach(name -> flags.add(Reply.simple(name)));
    if (command.allowedBeforeAuth()) {
      flags.add(Reply.simple("noauth"));
    }
    return flags;
  }
}
