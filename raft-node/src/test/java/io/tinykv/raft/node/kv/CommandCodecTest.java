package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandCodecTest {

  static Stream<WriteOp> ops() {
    return Stream.of(
        op("SET", "k", "v"),
        op("SET", "k", "v", "NX"),
        op("SET", "k", "v", "XX", "GET"),
        op("SET", "", ""),
        new WriteOp.Set(
            Bytes.copyOf(new byte[] {0, (byte) 0xff, '\r', '\n'}),
            Bytes.copyOf(new byte[300]),
            WriteOp.Condition.IF_ABSENT,
            true),
        op("DEL", "a", "b", "a"),
        op("INCR", "n"),
        op("DECR", "n"),
        op("INCRBY", "n", "-9223372036854775808"),
        op("INCRBY", "n", "9223372036854775807"),
        op("MSET", "a", "1", "b", "2", "a", "3"));
  }

  @ParameterizedTest
  @MethodSource("ops")
  void roundTrips(WriteOp op) {
    assertThat(CommandCodec.decode(CommandCodec.encode(op))).isEqualTo(op);
  }

  @Test
  void theFormatIsPinned() {
    // version 1, SET, 3 args: "k", "v", flags NX|GET
    assertThat(HexFormat.of().formatHex(CommandCodec.encode(op("SET", "k", "v", "NX", "GET"))))
        .isEqualTo("0101" + "03" + "016b" + "0176" + "0105");
    // version 1, INCRBY, 2 args: "n", delta 1 as 8 bytes
    assertThat(HexFormat.of().formatHex(CommandCodec.encode(op("INCR", "n"))))
        .isEqualTo("0103" + "02" + "016e" + "080000000000000001");
    // version 1, DEL, 1 arg of 200 bytes: the length is a two-byte varint
    byte[] del = CommandCodec.encode(new WriteOp.Del(List.of(Bytes.copyOf(new byte[200]))));
    assertThat(HexFormat.of().formatHex(del, 0, 5)).isEqualTo("010201c801");
    assertThat(del).hasSize(5 + 200);
  }

  @Test
  void incrAndDecrAreDeltas() {
    assertThat(op("INCR", "n")).isEqualTo(new WriteOp.IncrBy(Bytes.of("n"), 1));
    assertThat(op("DECR", "n")).isEqualTo(new WriteOp.IncrBy(Bytes.of("n"), -1));
  }

  @Test
  void anUnknownVersionIsRefusedClearly() {
    byte[] bytes = CommandCodec.encode(op("SET", "k", "v"));
    bytes[0] = 2;
    assertThatThrownBy(() -> CommandCodec.decode(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessage(
            "unknown command format version 2; this node reads version 1"
                + " (was it proposed by a newer node?)");
  }

  @Test
  void anUnknownOpcodeIsRefusedClearly() {
    byte[] bytes = CommandCodec.encode(op("SET", "k", "v"));
    bytes[1] = 99;
    assertThatThrownBy(() -> CommandCodec.decode(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessage("unknown opcode 99 in command format version 1");
  }

  @Test
  void damagedCommandsAreRefused() {
    assertMalformed("", "command of 0 bytes is too short");
    assertMalformed("01", "command of 1 bytes is too short");
    assertMalformed("0102", "command ends inside a length");
    assertMalformed("010205", "argument count 5 exceeds the command");
    assertMalformed("01020102", "argument 0 of 2 bytes runs past the end of the command");
    assertMalformed("010201016b00", "1 unexpected bytes after the last argument");
    assertMalformed("010201ffffffffff", "length longer than 5 bytes");
    assertMalformed("010201ffffffff0f", "length out of range");
    assertMalformed("010200", "malformed DEL command: 0 arguments of the wrong shape");
    assertMalformed("010102016b0176", "malformed SET command: 2 arguments of the wrong shape");
    assertMalformed("010103016b01760103", "invalid SET flags 3");
    assertMalformed("010103016b01760108", "invalid SET flags 8");
    assertMalformed("010302016e0101", "malformed INCRBY command: 2 arguments of the wrong shape");
    assertMalformed("010401016b", "malformed MSET command: 1 arguments of the wrong shape");
  }

  private static void assertMalformed(String hex, String message) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertThatThrownBy(() -> CommandCodec.decode(bytes))
        .isInstanceOf(MalformedCommandException.class)
        .hasMessage(message);
  }
}
