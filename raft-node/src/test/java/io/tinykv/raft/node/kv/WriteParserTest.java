package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.node.kv.WriteOp.Condition;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriteParserTest {

  private final WriteParser parser = new WriteParser(new KvLimits(4, 8));

  @Test
  void plainSet() {
    assertThat(parse("SET", "k", "v"))
        .isEqualTo(new WriteOp.Set(Bytes.of("k"), Bytes.of("v"), Condition.ALWAYS, false));
  }

  @Test
  void setOptionsInAnyCase() {
    assertThat(parse("SET", "k", "v", "nx"))
        .isEqualTo(new WriteOp.Set(Bytes.of("k"), Bytes.of("v"), Condition.IF_ABSENT, false));
    assertThat(parse("SET", "k", "v", "Get", "XX"))
        .isEqualTo(new WriteOp.Set(Bytes.of("k"), Bytes.of("v"), Condition.IF_PRESENT, true));
    assertThat(parse("SET", "k", "v", "NX", "NX", "KEEPTTL"))
        .isEqualTo(new WriteOp.Set(Bytes.of("k"), Bytes.of("v"), Condition.IF_ABSENT, false));
  }

  @Test
  void conflictingOrUnknownSetOptionsAreSyntaxErrors() {
    assertThat(error("SET", "k", "v", "NX", "XX")).isEqualTo("ERR syntax error");
    assertThat(error("SET", "k", "v", "FOO")).isEqualTo("ERR syntax error");
    assertThat(error("SET", "k", "v", "KEEPTTLX")).isEqualTo("ERR syntax error");
  }

  @Test
  void expiryIsRefusedBecauseKeysDoNotExpire() {
    for (String option : List.of("EX", "px", "EXAT", "PXAT")) {
      assertThat(error("SET", "k", "v", option, "10"))
          .isEqualTo(
              "ERR SET expiry options (EX, PX, EXAT, PXAT) are not supported:"
                  + " keys do not expire");
    }
  }

  @Test
  void incrbyNeedsAnInteger() {
    assertThat(parse("INCRBY", "n", "-7")).isEqualTo(new WriteOp.IncrBy(Bytes.of("n"), -7));
    assertThat(error("INCRBY", "n", "1.5"))
        .isEqualTo("ERR value is not an integer or out of range");
    assertThat(error("INCRBY", "n", "99999999999999999999"))
        .isEqualTo("ERR value is not an integer or out of range");
  }

  @Test
  void delAndMsetCollectTheirArguments() {
    assertThat(parse("DEL", "a", "b"))
        .isEqualTo(new WriteOp.Del(List.of(Bytes.of("a"), Bytes.of("b"))));
    assertThat(parse("MSET", "a", "1", "b", "2"))
        .isEqualTo(
            new WriteOp.MSet(
                List.of(Bytes.of("a"), Bytes.of("b")), List.of(Bytes.of("1"), Bytes.of("2"))));
  }

  @Test
  void valuesOverTheLimitAreRefusedBeforeProposing() {
    assertThat(parse("SET", "k", "12345678")).isInstanceOf(WriteOp.Set.class);
    assertThat(error("SET", "k", "123456789"))
        .isEqualTo("ERR value is too large (9 bytes; the limit is 8 bytes)");
    assertThat(error("MSET", "a", "1", "b", "123456789"))
        .isEqualTo("ERR value is too large (9 bytes; the limit is 8 bytes)");
  }

  @Test
  void keysOverTheLimitAreRefusedWhereAWriteCouldCreateThem() {
    String error = "ERR key is too large (5 bytes; the limit is 4 bytes)";
    assertThat(error("SET", "kkkkk", "v")).isEqualTo(error);
    assertThat(error("MSET", "a", "1", "kkkkk", "v")).isEqualTo(error);
    assertThat(error("INCR", "kkkkk")).isEqualTo(error);
    assertThat(error("INCRBY", "kkkkk", "2")).isEqualTo(error);
    assertThat(error("DECR", "kkkkk")).isEqualTo(error);
    assertThat(parse("DEL", "kkkkk")).isInstanceOf(WriteOp.Del.class);
  }

  @Test
  void onlyWritesAreParsed() {
    assertThatThrownBy(() -> parser.parse(call("GET", "k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("GET is not a write command");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new KvLimits(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  private WriteOp parse(String... args) {
    return parser.parse(call(args)).value();
  }

  private String error(String... args) {
    return parser.parse(call(args)).error().message();
  }
}
