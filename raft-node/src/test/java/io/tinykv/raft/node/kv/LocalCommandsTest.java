package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.kv.resp.Reply;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalCommandsTest {

  private static final ServerInfo INFO =
      new ServerInfo(
          "0.1.0",
          "127.0.0.1:8001",
          8001,
          4242,
          90_000,
          3,
          "leader",
          7,
          Optional.of("127.0.0.1:8001"),
          120,
          121,
          new StateSummary(119, 5, 0xabcL));

  private final LocalCommands open = new LocalCommands(Optional.empty(), () -> INFO);
  private final LocalCommands guarded = new LocalCommands(Optional.of("s3cret"), () -> INFO);
  private final ClientSession session = open.newSession(17);

  @Test
  void pingAndEcho() {
    assertThat(answer("PING")).isEqualTo(Reply.simple("PONG"));
    assertThat(answer("ping", "hi")).isEqualTo(Reply.bulk("hi"));
    assertThat(answer("ECHO", "a b")).isEqualTo(Reply.bulk("a b"));
  }

  @Test
  void quitRepliesOkAndCloses() {
    assertThat(open.answer(call("QUIT"), session)).isEqualTo(new LocalReply(Reply.OK, true));
    assertThat(open.answer(call("PING"), session).closeAfterReply()).isFalse();
  }

  @Test
  void selectKnowsOnlyDatabaseZero() {
    assertThat(answer("SELECT", "0")).isEqualTo(Reply.OK);
    assertThat(answer("SELECT", "1")).isEqualTo(Reply.err("DB index is out of range"));
    assertThat(answer("SELECT", "x"))
        .isEqualTo(Reply.err("value is not an integer or out of range"));
  }

  @Test
  void withoutAPasswordEveryoneIsAuthenticated() {
    assertThat(session.authenticated()).isTrue();
    assertThat(open.checkAuth(call("GET", "k"), session)).isEmpty();
    assertThat(answer("AUTH", "x"))
        .isEqualTo(
            Reply.err(
                "AUTH <password> called without any password configured for the default user."
                    + " Are you sure your configuration is correct?"));
    assertThat(answer("AUTH", "default", "anything")).isEqualTo(Reply.OK);
  }

  @Test
  void aPasswordGuardsEverythingButAuthHelloAndQuit() {
    ClientSession client = guarded.newSession(1);
    assertThat(guarded.checkAuth(call("GET", "k"), client))
        .contains(Reply.error("NOAUTH Authentication required."));
    assertThat(guarded.checkAuth(call("PING"), client)).isPresent();
    assertThat(guarded.checkAuth(call("GET_STATUS"), client)).isPresent();
    assertThat(guarded.checkAuth(call("AUTH", "x"), client)).isEmpty();
    assertThat(guarded.checkAuth(call("HELLO"), client)).isEmpty();
    assertThat(guarded.checkAuth(call("QUIT"), client)).isEmpty();

    Reply wrongPass = Reply.error("WRONGPASS invalid username-password pair or user is disabled.");
    assertThat(guarded.answer(call("AUTH", "wrong"), client).reply()).isEqualTo(wrongPass);
    assertThat(guarded.answer(call("AUTH", "admin", "s3cret"), client).reply())
        .isEqualTo(wrongPass);
    assertThat(client.authenticated()).isFalse();

    assertThat(guarded.answer(call("AUTH", "s3cret"), client).reply()).isEqualTo(Reply.OK);
    assertThat(guarded.checkAuth(call("GET", "k"), client)).isEmpty();
    ClientSession other = guarded.newSession(2);
    assertThat(guarded.answer(call("AUTH", "default", "s3cret"), other).reply())
        .isEqualTo(Reply.OK);
  }

  @Test
  void helloSpeaksResp2Only() {
    Reply hello = answer("HELLO", "2");
    assertThat(hello).isInstanceOf(Reply.ArrayReply.class);
    List<Reply> fields = ((Reply.ArrayReply) hello).items();
    assertThat(fields.subList(0, 8))
        .containsExactly(
            Reply.bulk("server"),
            Reply.bulk("redis"),
            Reply.bulk("version"),
            Reply.bulk(LocalCommands.REDIS_VERSION),
            Reply.bulk("proto"),
            Reply.integer(2),
            Reply.bulk("id"),
            Reply.integer(17));
    assertThat(fields.get(11)).isEqualTo(Reply.bulk("master"));
    assertThat(answer("HELLO")).isEqualTo(hello);
    assertThat(answer("HELLO", "3")).isEqualTo(Reply.error("NOPROTO unsupported protocol version"));
    assertThat(answer("HELLO", "two"))
        .isEqualTo(Reply.err("Protocol version is not an integer or out of range"));
    assertThat(answer("HELLO", "2", "FOO"))
        .isEqualTo(Reply.err("Syntax error in HELLO option 'FOO'"));
    assertThat(answer("HELLO", "2", "AUTH", "default"))
        .isEqualTo(Reply.err("Syntax error in HELLO option 'AUTH'"));
  }

  @Test
  void helloCanAuthenticateAndName() {
    ClientSession client = guarded.newSession(3);
    assertThat(guarded.answer(call("HELLO", "2"), client).reply())
        .isInstanceOf(Reply.ErrorReply.class)
        .extracting(r -> ((Reply.ErrorReply) r).message())
        .asString()
        .startsWith("NOAUTH HELLO must be called with the client already authenticated");
    assertThat(guarded.answer(call("HELLO", "2", "AUTH", "default", "bad"), client).reply())
        .isEqualTo(Reply.error("WRONGPASS invalid username-password pair or user is disabled."));
    Reply ok =
        guarded
            .answer(call("HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "app"), client)
            .reply();
    assertThat(ok).isInstanceOf(Reply.ArrayReply.class);
    assertThat(client.authenticated()).isTrue();
    assertThat(client.name()).isEqualTo("app");
  }

  @Test
  void clientSubcommands() {
    assertThat(answer("CLIENT", "ID")).isEqualTo(Reply.integer(17));
    assertThat(answer("CLIENT", "GETNAME")).isEqualTo(Reply.NULL_BULK);
    assertThat(answer("client", "setname", "worker-1")).isEqualTo(Reply.OK);
    assertThat(answer("CLIENT", "GETNAME")).isEqualTo(Reply.bulk("worker-1"));
    assertThat(answer("CLIENT", "SETNAME", "has space"))
        .isEqualTo(
            Reply.err("Client names cannot contain spaces, newlines or special characters."));
    assertThat(answer("CLIENT", "SETINFO", "lib-name", "jedis")).isEqualTo(Reply.OK);
    assertThat(answer("CLIENT", "SETINFO", "lib-color", "red"))
        .isEqualTo(Reply.err("Unrecognized option 'lib-color'"));
    assertThat(answer("CLIENT", "SETNAME"))
        .isEqualTo(Reply.err("wrong number of arguments for 'client|setname' command"));
    assertThat(answer("CLIENT", "KILL", "x"))
        .isEqualTo(Reply.err("unknown subcommand 'KILL'. Try CLIENT HELP."));
    assertThat(answer("CLIENT", "HELP")).isInstanceOf(Reply.ArrayReply.class);
  }

  @Test
  void configGetAnswersWhatBenchmarksAsk() {
    assertThat(answer("CONFIG", "GET", "save"))
        .isEqualTo(Reply.array(Reply.bulk("save"), Reply.bulk("")));
    assertThat(answer("CONFIG", "GET", "appendonly"))
        .isEqualTo(Reply.array(Reply.bulk("appendonly"), Reply.bulk("no")));
    assertThat(answer("CONFIG", "GET", "maxmemory*"))
        .isEqualTo(
            Reply.array(
                Reply.bulk("maxmemory"),
                Reply.bulk("0"),
                Reply.bulk("maxmemory-policy"),
                Reply.bulk("noeviction")));
    assertThat(answer("CONFIG", "GET", "p?rt", "nothing"))
        .isEqualTo(Reply.array(Reply.bulk("port"), Reply.bulk("8001")));
    assertThat(answer("CONFIG", "GET", "*")).isInstanceOf(Reply.ArrayReply.class);
    assertThat(answer("CONFIG", "GET"))
        .isEqualTo(Reply.err("wrong number of arguments for 'config|get' command"));
    assertThat(answer("CONFIG", "SET", "save", ""))
        .isEqualTo(
            Reply.err("CONFIG SET is not supported: TinyKV is configured by its command line"));
    assertThat(answer("CONFIG", "BOGUS"))
        .isEqualTo(Reply.err("unknown subcommand 'BOGUS'. Try CONFIG HELP."));
  }

  @Test
  void globMatching() {
    assertThat(ConfigCommand.Glob.matches("*", "save")).isTrue();
    assertThat(ConfigCommand.Glob.matches("s*e", "save")).isTrue();
    assertThat(ConfigCommand.Glob.matches("**a**", "save")).isTrue();
    assertThat(ConfigCommand.Glob.matches("s?ve", "save")).isTrue();
    assertThat(ConfigCommand.Glob.matches("s?v", "save")).isFalse();
    assertThat(ConfigCommand.Glob.matches("", "save")).isFalse();
  }

  @Test
  void commandDescribesTheTable() {
    assertThat(answer("COMMAND", "COUNT")).isEqualTo(Reply.integer(Command.values().length));
    Reply.ArrayReply all = (Reply.ArrayReply) answer("COMMAND");
    assertThat(all.items()).hasSize(Command.values().length);
    assertThat(answer("COMMAND", "INFO", "get", "nope"))
        .isEqualTo(
            Reply.array(
                Reply.array(
                    Reply.bulk("get"),
                    Reply.integer(2),
                    Reply.array(Reply.simple("readonly"), Reply.simple("fast")),
                    Reply.integer(1),
                    Reply.integer(1),
                    Reply.integer(1),
                    Reply.EMPTY_ARRAY,
                    Reply.EMPTY_ARRAY,
                    Reply.EMPTY_ARRAY,
                    Reply.EMPTY_ARRAY),
                Reply.NULL_BULK));
    assertThat(answer("COMMAND", "DOCS")).isEqualTo(Reply.EMPTY_ARRAY);
    assertThat(((Reply.ArrayReply) answer("COMMAND", "LIST")).items()).contains(Reply.bulk("mset"));
    assertThat(answer("COMMAND", "NOPE"))
        .isEqualTo(Reply.err("unknown subcommand 'NOPE'. Try COMMAND HELP."));
  }

  @Test
  void infoReportsTheNode() {
    String info = ((Reply.BulkString) answer("INFO")).utf8();
    assertThat(info)
        .isEqualTo(
            """
            # Server
            redis_version:7.0.0
            tinykv_version:0.1.0
            redis_mode:standalone
            arch_bits:64
            process_id:4242
            tcp_port:8001
            uptime_in_seconds:90000
            uptime_in_days:1

            # Clients
            connected_clients:3

            # Replication
            role:master
            raft_node_id:127.0.0.1:8001
            raft_role:leader
            raft_term:7
            raft_leader:127.0.0.1:8001
            raft_commit_index:120
            raft_applied_index:119
            raft_last_index:121
            kv_digest:0000000000000abc

            # Keyspace
            db0:keys=5,expires=0,avg_ttl=0
            """
                .replace("\n", "\r\n"));
  }

  @Test
  void infoSectionsCanBeChosen() {
    assertThat(((Reply.BulkString) answer("INFO", "CLIENTS")).utf8())
        .isEqualTo("# Clients\r\nconnected_clients:3\r\n");
    assertThat(((Reply.BulkString) answer("INFO", "nonsense")).utf8()).isEmpty();
    assertThat(((Reply.BulkString) answer("INFO", "all")).utf8()).startsWith("# Server");
  }

  private Reply answer(String... args) {
    return open.answer(call(args), session).reply();
  }
}
