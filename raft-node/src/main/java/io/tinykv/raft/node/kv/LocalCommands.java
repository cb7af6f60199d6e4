package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.RedisIntegers;
import io.tinykv.raft.node.kv.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Answers the {@link CommandKind#LOCAL} commands, which a connection serves without Raft: PING,
 * ECHO, AUTH, HELLO, SELECT, QUIT, INFO, CLIENT, CONFIG and COMMAND, including what {@code
 * redis-cli}, {@code redis-benchmark} and client libraries send on connect.
 *
 * <p>Also guards every command with the client password: see {@link #checkAuth}. Safe to share
 * between connections; the per-connection state is in {@link ClientSession}.
 */
public final class LocalCommands {

  /** The Redis version clients are told the server behaves like. */
  public static final String REDIS_VERSION = "7.0.0";

  private final Optional<byte[]> password;
  private final Supplier<ServerInfo> info;

  /**
   * @param password the client password ({@code requirepass}); empty for none
   * @param info the node's current facts, for INFO and HELLO
   */
  public LocalCommands(Optional<String> password, Supplier<ServerInfo> info) {
    this.password = password.map(p -> p.getBytes(StandardCharsets.UTF_8));
    this.info = info;
  }

  /** The state of a new connection: authenticated already if no password is set. */
  public ClientSession newSession(long clientId) {
    return new ClientSession(clientId, password.isEmpty());
  }

  /**
   * {@code -NOAUTH} if a password is set, the client has not authenticated, and the command is not
   * one allowed before (AUTH, HELLO, QUIT). Call it for every resolved command, of every kind.
   */
  public Optional<Reply.ErrorReply> checkAuth(CommandCall call, ClientSession session) {
    return session.authenticated() || call.command().allowedBeforeAuth()
        ? Optional.empty()
        : Optional.of(Errors.NOAUTH);
  }

  /** Answers a LOCAL command; throws if {@code call} is of another kind. */
  public LocalReply answer(CommandCall call, ClientSession session) {
    if (call.command() == Command.QUIT) {
      return new LocalReply(Reply.OK, true);
    }
    Reply reply =
        switch (call.command()) {
          case PING -> call.argCount() == 0 ? Reply.simple("PONG") : Reply.bulk(call.arg(1));
          case ECHO -> Reply.bulk(call.arg(1));
          case SELECT -> select(call);
          case AUTH -> auth(call, session);
          case HELLO -> hello(call, session);
          case INFO -> info(call);
          case CLIENT -> ClientCommand.answer(call, session);
          case CONFIG -> ConfigCommand.answer(call, info);
          case COMMAND -> CommandIntrospection.answer(call);
          default -> throw new IllegalArgumentException(call.command() + " is not local");
        };
    return LocalReply.of(reply);
  }

  private Reply info(CommandCall call) {
    List<String> sections = new ArrayList<>();
    for (int i = 1; i <= call.argCount(); i++) {
      sections.add(call.argString(i));
    }
    return Reply.bulk(InfoReport.render(info.get(), sections));
  }

  private static Reply select(CommandCall call) {
    OptionalLong db = RedisIntegers.parse(call.request().arg(1));
    if (db.isEmpty()) {
      return Errors.NOT_AN_INTEGER;
    }
    return db.getAsLong() == 0 ? Reply.OK : Reply.err("DB index is out of range");
  }

  private Reply auth(CommandCall call, ClientSession session) {
    boolean withUser = call.argCount() == 2;
    if (password.isEmpty() && !withUser) {
      return Reply.err(
          "AUTH <password> called without any password configured for the default user. "
              + "Are you sure your configuration is correct?");
    }
    byte[] user = withUser ? call.arg(1) : null;
    byte[] pass = call.arg(call.argCount());
    if (!credentialsMatch(user, pass)) {
      return Errors.WRONGPASS;
    }
    session.authenticate();
    return Reply.OK;
  }

  /** {@code HELLO [protover [AUTH username password] [SETNAME clientname]]}, RESP2 only. */
  private Reply hello(CommandCall call, ClientSession session) {
    if (call.argCount() >= 1) {
      OptionalLong version = RedisIntegers.parse(call.request().arg(1));
      if (version.isEmpty()) {
        return Reply.err("Protocol version is not an integer or out of range");
      }
      if (version.getAsLong() != 2) {
        return Reply.error("NOPROTO unsupported protocol version");
      }
    }
    String name = null;
    boolean authenticated = session.authenticated();
    for (int i = 2; i <= call.argCount(); i++) {
      String option = call.request().keyword(i);
      int left = call.argCount() - i;
      if (option.equals("AUTH") && left >= 2) {
        if (!credentialsMatch(call.arg(i + 1), call.arg(i + 2))) {
          return Errors.WRONGPASS;
        }
        authenticated = true;
        i += 2;
      } else if (option.equals("SETNAME") && left >= 1) {
        name = call.argString(++i);
        if (!ClientCommand.validName(name)) {
          return ClientCommand.INVALID_NAME;
        }
      } else {
        return Reply.err("Syntax error in HELLO option '" + Errors.quoted(call, i) + "'");
      }
    }
    if (!authenticated) {
      return Reply.error(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO"
              + " <proto> AUTH <user> <pass> option can be used to authenticate the client and"
              + " select the RESP protocol version at the same time");
    }
    session.authenticate();
    if (name != null) {
      session.name(name);
    }
    return Reply.array(
        Reply.bulk("server"),
        Reply.bulk("redis"),
        Reply.bulk("version"),
        Reply.bulk(REDIS_VERSION),
        Reply.bulk("proto"),
        Reply.integer(2),
        Reply.bulk("id"),
        Reply.integer(session.id()),
        Reply.bulk("mode"),
        Reply.bulk("standalone"),
        Reply.bulk("role"),
        Reply.bulk(info.get().isLeader() ? "master" : "replica"),
        Reply.bulk("modules"),
        Reply.EMPTY_ARRAY);
  }

  /**
   * Whether the credentials are right: the user, if given, must be {@code default}; without a
   * password configured the default user accepts any password, as Redis's {@code nopass} does.
   */
  private boolean credentialsMatch(byte[] user, byte[] pass) {
    if (user != null && !new String(user, StandardCharsets.UTF_8).equals("default")) {
      return false;
    }
    return password.map(expected -> MessageDigest.isEqual(expected, pass)).orElse(true);
  }
}
