package io.tinykv.raft.node.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CommandTableTest {

  /** The smallest valid request of every command. */
  private static final Map<Command, List<String>> SMALLEST =
      Map.ofEntries(
          Map.entry(Command.SET, List.of("SET", "k", "v")),
          Map.entry(Command.GET, List.of("GET", "k")),
          Map.entry(Command.DEL, List.of("DEL", "k")),
          Map.entry(Command.EXISTS, List.of("EXISTS", "k")),
          Map.entry(Command.INCR, List.of("INCR", "k")),
          Map.entry(Command.INCRBY, List.of("INCRBY", "k", "5")),
          Map.entry(Command.DECR, List.of("DECR", "k")),
          Map.entry(Command.MGET, List.of("MGET", "k")),
          Map.entry(Command.MSET, List.of("MSET", "k", "v")),
          Map.entry(Command.DBSIZE, List.of("DBSIZE")),
          Map.entry(Command.PING, List.of("PING")),
          Map.entry(Command.ECHO, List.of("ECHO", "x")),
          Map.entry(Command.AUTH, List.of("AUTH", "secret")),
          Map.entry(Command.INFO, List.of("INFO")),
          Map.entry(Command.QUIT, List.of("QUIT")),
          Map.entry(Command.CONFIG, List.of("CONFIG", "GET")),
          Map.entry(Command.COMMAND, List.of("COMMAND")),
          Map.entry(Command.HELLO, List.of("HELLO")),
          Map.entry(Command.SELECT, List.of("SELECT", "0")),
          Map.entry(Command.CLIENT, List.of("CLIENT", "ID")),
          Map.entry(Command.GET_MASTER, List.of("GET_MASTER")),
          Map.entry(Command.LIST_NODES, List.of("LIST_NODES")),
          Map.entry(Command.GET_STATUS, List.of("GET_STATUS")),
          Map.entry(Command.ADD_NODE, List.of("ADD_NODE", "127.0.0.1:8004")),
          Map.entry(Command.REMOVE_NODE, List.of("REMOVE_NODE", "127.0.0.1:8004")),
          Map.entry(Command.TRANSFER_LEADER, List.of("TRANSFER_LEADER", "n2")),
          Map.entry(Command.SNAPSHOT, List.of("SNAPSHOT")),
          Map.entry(Command.SUBMIT, List.of("SUBMIT", "INCR", "k")),
          Map.entry(Command.RESULT, List.of("RESULT", "12")));

  @ParameterizedTest
  @EnumSource(Command.class)
  void theSmallestValidRequestResolves(Command command) {
    assertThat(SMALLEST).containsKey(command);
    Validated<CommandCall> resolved = resolve(SMALLEST.get(command));
    assertThat(resolved.isValid()).as("%s", resolved).isTrue();
    assertThat(resolved.value().command()).isEqualTo(command);
  }

  @ParameterizedTest
  @EnumSource(Command.class)
  void oneArgumentTooFewIsAnArityError(Command command) {
    List<String> tooFew = SMALLEST.get(command).subList(0, SMALLEST.get(command).size() - 1);
    if (tooFew.isEmpty()) {
      return; // commands without arguments cannot have fewer
    }
    assertThat(resolve(tooFew).error().message())
        .isEqualTo("ERR wrong number of arguments for '" + command.lowerName() + "' command");
  }

  @ParameterizedTest
  @EnumSource(
      value = Command.class,
      names = {
        "GET",
        "INCR",
        "INCRBY",
        "DECR",
        "DBSIZE",
        "PING",
        "ECHO",
        "AUTH",
        "SELECT",
        "GET_MASTER",
        "LIST_NODES",
        "GET_STATUS",
        "ADD_NODE",
        "REMOVE_NODE",
        "TRANSFER_LEADER",
        "SNAPSHOT",
        "RESULT"
      })
  void commandsWithAMaximumRefuseMore(Command command) {
    List<String> tooMany = new ArrayList<>(SMALLEST.get(command));
    while (command.acceptsArgCount(tooMany.size())) {
      tooMany.add("extra");
    }
    assertThat(resolve(tooMany).error().message())
        .isEqualTo("ERR wrong number of arguments for '" + command.lowerName() + "' command");
  }

  @ParameterizedTest
  @EnumSource(
      value = Command.class,
      names = {"SET", "DEL", "EXISTS", "MGET", "INFO", "QUIT", "CONFIG", "COMMAND", "CLIENT"})
  void variadicCommandsTakeMore(Command command) {
    List<String> more = new ArrayList<>(SMALLEST.get(command));
    more.addAll(List.of("a", "b"));
    assertThat(command.acceptsArgCount(more.size())).isTrue();
  }

  @Test
  void msetTakesPairsOnly() {
    assertThat(resolve(List.of("MSET", "a", "1", "b", "2")).isValid()).isTrue();
    assertThat(resolve(List.of("MSET", "a", "1", "b")).error())
        .isEqualTo(Reply.err("wrong number of arguments for 'mset' command"));
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(resolve(List.of("gEt", "k")).value().command()).isEqualTo(Command.GET);
    assertThat(resolve(List.of("get_status")).value().command()).isEqualTo(Command.GET_STATUS);
  }

  @Test
  void namesCompareInAsciiOnly() {
    // Java upper-cases the long s to S; Redis compares ASCII only.
    assertThat(resolve(List.of("\u017Fet", "k", "v")).isValid()).isFalse();
  }

  @Test
  void unknownCommandsAreReportedLikeRedis() {
    assertThat(resolve(List.of("FOO", "a", "b")).error().message())
        .isEqualTo("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    assertThat(resolve(List.of("foo")).error().message())
        .isEqualTo("ERR unknown command 'foo', with args beginning with: ");
  }

  @Test
  void unknownCommandQuotesAtMost128CharactersOfArguments() {
    String arg = "x".repeat(200);
    assertThat(resolve(List.of("nope", arg, "more")).error().message())
        .isEqualTo(
            "ERR unknown command 'nope', with args beginning with: '" + "x".repeat(128) + "' ");
  }

  @Test
  void aVeryLongNameIsUnknown() {
    String name = "G".repeat(1000);
    assertThat(resolve(List.of(name)).error().message())
        .startsWith("ERR unknown command '" + "G".repeat(128) + "'");
  }

  @Test
  void submitWrapsAWriteCommand() {
    CommandCall submit = resolve(List.of("submit", "set", "k", "v")).value();
    assertThat(submit.command().kind()).isEqualTo(CommandKind.ADMIN);
    assertThat(submit.submitted().command()).isEqualTo(Command.SET);
    assertThat(submit.submitted().request()).isEqualTo(RespRequest.of("set", "k", "v"));
  }

  @Test
  void submitRefusesReadsAndPassesOnTheWrappedCommandsErrors() {
    assertThat(resolve(List.of("SUBMIT", "GET", "k")).error().message())
        .isEqualTo(
            "ERR SUBMIT takes a write command (SET, DEL, INCR, INCRBY, DECR, MSET), not 'get'");
    assertThat(resolve(List.of("SUBMIT", "SET", "k")).error().message())
        .isEqualTo("ERR wrong number of arguments for 'set' command");
    assertThat(resolve(List.of("SUBMIT", "SET", "k", "v", "NX", "x")).isValid()).isTrue();
    assertThat(resolve(List.of("SUBMIT", "INCR", "a", "b")).error().message())
        .isEqualTo("ERR wrong number of arguments for 'incr' command");
    assertThat(resolve(List.of("SUBMIT", "NOPE", "a")).error().message())
        .startsWith("ERR unknown command 'NOPE'");
  }

  @Test
  void everyCommandIsClassified() {
    assertThat(kinds(CommandKind.WRITE))
        .containsExactly(
            Command.SET, Command.DEL, Command.INCR, Command.INCRBY, Command.DECR, Command.MSET);
    assertThat(kinds(CommandKind.READ))
        .containsExactly(Command.GET, Command.EXISTS, Command.MGET, Command.DBSIZE);
    assertThat(kinds(CommandKind.ADMIN))
        .containsExactly(
            Command.GET_MASTER,
            Command.LIST_NODES,
            Command.GET_STATUS,
            Command.ADD_NODE,
            Command.REMOVE_NODE,
            Command.TRANSFER_LEADER,
            Command.SNAPSHOT,
            Command.SUBMIT,
            Command.RESULT);
  }

  private static List<Command> kinds(CommandKind kind) {
    return Arrays.stream(Command.values()).filter(c -> c.kind() == kind).toList();
  }

  private static Validated<CommandCall> resolve(List<String> args) {
    return CommandTable.resolve(RespRequest.of(args.toArray(new String[0])));
  }
}
