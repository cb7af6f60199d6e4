package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;
import java.util.Locale;

/** {@code CLIENT ID | GETNAME | SETNAME name | SETINFO attr value | HELP}. */
final class ClientCommand {

  static final Reply.ErrorReply INVALID_NAME =
      Reply.err("Client names cannot contain spaces, newlines or special characters.");

  private static final Reply HELP =
      Reply.array(
          Reply.simple("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
          Reply.simple("ID"),
          Reply.simple("    Return the ID of the current connection."),
          Reply.simple("GETNAME"),
          Reply.simple("    Return the name of the current connection."),
          Reply.simple("SETNAME <name>"),
          Reply.simple("    Assign the name <name> to the current connection."),
          Reply.simple("SETINFO <LIB-NAME|LIB-VER> <value>"),
          Reply.simple("    Accepted and ignored: the client library's name and version."),
          Reply.simple("HELP"),
          Reply.simple("    Print this help."));

  private ClientCommand() {}

  static Reply answer(CommandCall call, ClientSession session) {
    String sub = call.request().keyword(1);
    int expected =
        switch (sub) {
          case "ID", "GETNAME", "HELP" -> 1;
          case "SETNAME" -> 2;
          case "SETINFO" -> 3;
          default -> 0;
        };
    if (expected == 0) {
      return Errors.unknownSubcommand(call);
    }
    if (call.argCount() != expected) {
      return Errors.wrongArity("client|" + sub.toLowerCase(Locale.ROOT));
    }
    return switch (sub) {
      case "ID" -> Reply.integer(session.id());
      case "GETNAME" -> session.name().isEmpty() ? Reply.NULL_BULK : Reply.bulk(session.name());
      case "SETNAME" -> setName(call.argString(2), session);
      case "SETINFO" -> {
        String attribute = call.request().keyword(2);
        yield attribute.equals("LIB-NAME") || attribute.equals("LIB-VER")
            ? Reply.OK
            : Reply.err("Unrecognized option '" + Errors.quoted(call, 2) + "'");
      }
      default -> HELP;
    };
  }

  private static Reply setName(String name, ClientSession session) {
    if (!validName(name)) {
      return INVALID_NAME;
    }
    session.name(name);
    return Reply.OK;
  }

  /** Redis accepts printable ASCII without spaces; an empty name clears the name. */
  static boolean validName(String name) {
    return name.chars().allMatch(c -> c > ' ' && c <= '~');
  }
}
