package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.call;
import static io.tinykv.raft.node.kv.KvTesting.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvStateMachineTest {

  private static final Reply NOT_AN_INTEGER = Reply.err("value is not an integer or out of range");
  private static final Reply OVERFLOW = Reply.err("increment or decrement would overflow");

  private final KvStateMachine kv = new KvStateMachine();
  private long index;

  @Test
  void setThenGet() {
    assertThat(apply("SET", "k", "v")).isEqualTo(Reply.OK);
    assertThat(read("GET", "k")).isEqualTo(Reply.bulk("v"));
    assertThat(apply("SET", "k", "w")).isEqualTo(Reply.OK);
    assertThat(read("GET", "k")).isEqualTo(Reply.bulk("w"));
    assertThat(read("GET", "missing")).isEqualTo(Reply.NULL_BULK);
  }

  @Test
  void setNxWritesOnlyAbsentKeys() {
    assertThat(apply("SET", "k", "1", "NX")).isEqualTo(Reply.OK);
    assertThat(apply("SET", "k", "2", "NX")).isEqualTo(Reply.NULL_BULK);
    assertThat(read("GET", "k")).isEqualTo(Reply.bulk("1"));
  }

  @Test
  void setXxWritesOnlyPresentKeys() {
    assertThat(apply("SET", "k", "1", "XX")).isEqualTo(Reply.NULL_BULK);
    assertThat(read("EXISTS", "k")).isEqualTo(Reply.integer(0));
    apply("SET", "k", "1");
    assertThat(apply("SET", "k", "2", "XX")).isEqualTo(Reply.OK);
    assertThat(read("GET", "k")).isEqualTo(Reply.bulk("2"));
  }

  @Test
  void setGetReturnsTheOldValueWhetherOrNotItWrote() {
    assertThat(apply("SET", "k", "1", "GET")).isEqualTo(Reply.NULL_BULK);
    assertThat(apply("SET", "k", "2", "GET")).isEqualTo(Reply.bulk("1"));
    assertThat(apply("SET", "k", "3", "NX", "GET")).isEqualTo(Reply.bulk("2"));
    assertThat(read("GET", "k")).isEqualTo(Reply.bulk("2"));
  }

  @Test
  void delCountsTheKeysThatExisted() {
    apply("MSET", "a", "1", "b", "2");
    assertThat(apply("DEL", "a", "a", "c", "b")).isEqualTo(Reply.integer(2));
    assertThat(read("DBSIZE")).isEqualTo(Reply.integer(0));
    assertThat(apply("DEL", "a")).isEqualTo(Reply.integer(0));
  }

  @Test
  void existsCountsRepeatedKeysRepeatedly() {
    apply("SET", "a", "1");
    assertThat(read("EXISTS", "a", "a", "b")).isEqualTo(Reply.integer(2));
  }

  @Test
  void mgetAndMset() {
    assertThat(apply("MSET", "a", "1", "b", "2", "a", "3")).isEqualTo(Reply.OK);
    assertThat(read("MGET", "a", "b", "c"))
        .isEqualTo(Reply.array(Reply.bulk("3"), Reply.bulk("2"), Reply.NULL_BULK));
    assertThat(read("DBSIZE")).isEqualTo(Reply.integer(2));
  }

  @Test
  void incrStartsFromZeroAndStoresDecimalText() {
    assertThat(apply("INCR", "n")).isEqualTo(Reply.integer(1));
    assertThat(apply("INCRBY", "n", "41")).isEqualTo(Reply.integer(42));
    assertThat(apply("DECR", "n")).isEqualTo(Reply.integer(41));
    assertThat(apply("INCRBY", "n", "-50")).isEqualTo(Reply.integer(-9));
    assertThat(read("GET", "n")).isEqualTo(Reply.bulk("-9"));
    assertThat(apply("DECR", "fresh")).isEqualTo(Reply.integer(-1));
  }

  @Test
  void incrOfANonIntegerIsAnErrorAndChangesNothing() {
    for (String value : List.of("abc", "1.5", " 1", "01", "", "99999999999999999999")) {
      apply("SET", "k", value);
      long digest = kv.digest();
      assertThat(apply("INCR", "k")).as(value).isEqualTo(NOT_AN_INTEGER);
      assertThat(apply("DECR", "k")).as(value).isEqualTo(NOT_AN_INTEGER);
      assertThat(apply("INCRBY", "k", "2")).as(value).isEqualTo(NOT_AN_INTEGER);
      assertThat(read("GET", "k")).isEqualTo(Reply.bulk(value));
      assertThat(kv.digest()).isEqualTo(digest);
    }
  }

  @Test
  void overflowIsAnErrorAndChangesNothing() {
    apply("SET", "max", "9223372036854775807");
    apply("SET", "min", "-9223372036854775808");
    assertThat(apply("INCR", "max")).isEqualTo(OVERFLOW);
    assertThat(apply("DECR", "min")).isEqualTo(OVERFLOW);
    assertThat(apply("INCRBY", "min", "-1")).isEqualTo(OVERFLOW);
    assertThat(apply("INCRBY", "max", "-9223372036854775808")).isEqualTo(Reply.integer(-1));
    assertThat(read("GET", "min")).isEqualTo(Reply.bulk("-9223372036854775808"));
  }

  @Test
  void keysAndValuesAreBinarySafe() {
    byte[] key = {0, (byte) 0xff, '\r', '\n'};
    byte[] value = {(byte) 0x80, 0, 1};
    WriteOp set =
        new WriteOp.Set(Bytes.copyOf(key), Bytes.copyOf(value), WriteOp.Condition.ALWAYS, false);
    kv.apply(++index, set.encode());
    RespRequest get = RespRequest.of("GET".getBytes(StandardCharsets.US_ASCII), key);
    assertThat(kv.read(CommandTable.resolve(get).value())).isEqualTo(Reply.bulk(value));
  }

  @Test
  void onlyReadsAreRead() {
    assertThatThrownBy(() -> kv.read(call("SET", "k", "v")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void applyRequiresIncreasingIndexes() {
    kv.apply(5, command("SET", "k", "v"));
    assertThatThrownBy(() -> kv.apply(5, command("SET", "k", "w")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apply at index 5 after index 5");
    assertThat(kv.apply(9, command("INCR", "n"))).isEqualTo(Reply.integer(1));
    assertThat(kv.summary().appliedIndex()).isEqualTo(9);
  }

  @Test
  void anUndecodableCommandStopsApplying() {
    byte[] future = command("SET", "k", "v");
    future[0] = 9;
    assertThatThrownBy(() -> kv.apply(1, future)).isInstanceOf(MalformedCommandException.class);
    assertThat(kv.summary().appliedIndex()).isZero();
  }

  @Test
  void summaryFollowsTheState() {
    apply("MSET", "a", "1", "b", "2");
    StateSummary summary = kv.summary();
    assertThat(summary.appliedIndex()).isEqualTo(1);
    assertThat(summary.keys()).isEqualTo(2);
    assertThat(summary.digest()).isEqualTo(kv.digest());
    assertThat(summary.digestHex()).hasSize(16).isEqualTo(String.format("%016x", kv.digest()));
  }

  private Reply apply(String... args) {
    return kv.apply(++index, command(args));
  }

  private Reply read(String... args) {
    return kv.read(call(args));
  }
}
