package io.tinykv.raft.protocol.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tinykv.raft.protocol.codec.MessageDecodeException;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.testing.SampleMessages;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bodies that are not valid messages: whatever they hold, decoding throws {@link
 * MessageDecodeException} and nothing else, and allocates nothing the input does not justify. Fuzz
 * loops are seeded and bounded; a failure names the seed and input that replay it.
 */
class MalformedBodyTest {

  private static final long SEED = 20_240_611L;

  private final KryoMessageCodec codec = new KryoMessageCodec();

  @Test
  void everyTruncationOfEveryMessageIsRejected() {
    for (PeerMessage message : SampleMessages.typical()) {
      byte[] bytes = encode(message);
      for (int length = 0; length < bytes.length; length++) {
        assertRejected(slice(bytes, length), "undecodable|unknown message type");
      }
    }
  }

  @Test
  void trailingBytesAreRejected() {
    for (PeerMessage message : SampleMessages.typical()) {
      byte[] bytes = encode(message);
      byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
      assertRejected(longer, "1 unexpected bytes after " + message.getClass().getSimpleName());
    }
  }

  @Test
  void unknownAndReservedIdsAreRejected() {
    Set<Integer> known = new HashSet<>();
    KryoRegistrations.TABLE.forEach(t -> known.add(t.id()));
    for (int id = 0; id < 128; id++) {
      if (!known.contains(id)) {
        byte[] body = new byte[33];
        body[0] = (byte) id;
        assertRejected(body, "unknown message type id " + id);
      }
    }
    // A multi-byte varint id, and a negative one.
    assertRejected(hex("8001 00"), "unknown message type id 128");
    assertRejected(hex("ffffffff0f"), "unknown message type id -1");
  }

  @Test
  void impossibleLengthsAreRejectedBeforeAllocating() {
    // AppendEntries n1->n2 term 5 prev 0/0 claiming 2^31-1 entries.
    assertRejected(hex("22 026e31 026e32 05 00 00 ffffffff07"), "length 2147483647 is impossible");
    // One entry whose payload claims 2^31-1 bytes.
    assertRejected(
        hex("22 026e31 026e32 05 00 00 01 05 01 00 ffffffff07 00"),
        "length 2147483647 is impossible");
    // A node id claiming 1000 bytes.
    assertRejected(hex("28 e807 6e31"), "length 1000 is impossible");
  }

  @Test
  void invalidFieldValuesAreRejected() {
    // RequestVote whose preVote flag is 2.
    assertRejected(hex("20 026e31 026e32 05 0a 04 02 00"), "invalid boolean byte 2");
    // An entry of unknown type 99.
    assertRejected(hex("22 026e31 026e32 05 00 00 01 05 63 00 00 00"), "unknown EntryType code 99");
    // A negative term (a ten-byte varint of -1).
    assertRejected(hex("28 026e31 026e32 ffffffffffffffffff01"), "term must be >= 0");
    // A node id with a space, and one that is not UTF-8.
    assertRejected(hex("28 02 6e20 026e32 05"), "whitespace");
    assertRejected(hex("28 02 c328 026e32 05"), "malformed UTF-8");
    // A redirect without a leader.
    assertRejected(hex("43 06 02 00 00"), "a redirect must name the leader");
    // A membership listing a voter twice.
    assertRejected(
        hex("29 026e31 026e32 05 64 04 [02 026e31 026e31] 00 00 00 00 00 00 01 00000000 00000000"),
        "duplicate node id");
  }

  @Test
  void aCorruptedSnapshotChunkFailsItsChecksum() {
    byte[] good =
        hex(
            "29 026e31 026e32 05 64 04 [02 026e31 026e32] [01 026e31] [01 026e33] 00 08 04 01020304 0c"
                + " 01 78563412 f48c3029");
    byte[] bad = good.clone();
    int data = good.length - 12; // the third data byte: 10 bytes of fields follow the data
    bad[data] ^= 0x40;
    assertRejected(bad, "fails its checksum");
  }

  @Test
  void randomBytesNeverDecode() {
    Random random = new Random(SEED);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[16 + random.nextInt(240)];
      random.nextBytes(bytes);
      if (i % 2 == 0) {
        // Start half of them with a real id, to get past the first check.
        bytes[0] = (byte) KryoRegistrations.TABLE.get(i % KryoRegistrations.TABLE.size()).id();
      }
      try {
        PeerMessage decoded = codec.decode(Unpooled.wrappedBuffer(bytes));
        fail(
            "seed %d, input %d decoded to %s: %s",
            SEED, i, decoded, HexFormat.of().formatHex(bytes));
      } catch (MessageDecodeException expected) {
        // the only acceptable outcome
      }
    }
  }

  @Test
  void mutatedMessagesDecodeOrFailCleanly() {
    Random random = new Random(SEED);
    var samples = SampleMessages.typical();
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = encode(samples.get(i % samples.size()));
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      try {
        assertThat(codec.decode(Unpooled.wrappedBuffer(bytes))).isNotNull();
      } catch (MessageDecodeException expected) {
        // fine: a mutation may or may not leave a valid message
      } catch (RuntimeException e) {
        throw new AssertionError(
            "seed " + SEED + ", input " + i + ": " + HexFormat.of().formatHex(bytes), e);
      }
    }
  }

  private void assertRejected(byte[] body, String reasonPattern) {
    ByteBuf buf = Unpooled.wrappedBuffer(body);
    assertThatThrownBy(() -> codec.decode(buf))
        .as("%s", HexFormat.of().formatHex(body))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageFindingMatch(reasonPattern);
  }

  private byte[] encode(PeerMessage message) {
    ByteBuf buf = Unpooled.buffer();
    try {
      codec.encode(message, buf);
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      return bytes;
    } finally {
      buf.release();
    }
  }

  private static byte[] slice(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }

  private static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("[\\s\\[\\]]", ""));
  }
}
