package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.call;
import static io.tinykv.raft.node.kv.KvTesting.command;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tinykv.raft.node.kv.resp.Reply;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KvSnapshotTest {

  @Test
  void restoreGivesTheSameStateAndDigest() throws IOException {
    KvStateMachine source = filled(1_000, 42);
    KvStateMachine target = new KvStateMachine();
    target.apply(1, command("SET", "stale", "gone"));

    target.restore(new ByteArrayInputStream(snapshot(source)));

    assertThat(target.summary()).isEqualTo(source.summary());
    assertThat(target.digest()).isEqualTo(source.digest());
    assertThat(target.read(call("GET", "stale"))).isEqualTo(Reply.NULL_BULK);
    assertThat(target.read(call("GET", "key-7"))).isEqualTo(source.read(call("GET", "key-7")));
    assertThat(target.read(call("DBSIZE"))).isEqualTo(Reply.integer(1_000));
  }

  @Test
  void applyingContinuesAfterTheSnapshotIndex() throws IOException {
    KvStateMachine source = filled(10, 1);
    KvStateMachine target = new KvStateMachine();
    target.restore(new ByteArrayInputStream(snapshot(source)));
    long next = source.summary().appliedIndex() + 1;
    assertThat(target.apply(next, command("INCR", "n")))
        .isEqualTo(source.apply(next, command("INCR", "n")));
    assertThat(target.digest()).isEqualTo(source.digest());
    assertThatThrownBy(() -> target.apply(next, command("INCR", "n")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEmptyStateRoundTrips() throws IOException {
    KvStateMachine target = filled(3, 2);
    target.restore(new ByteArrayInputStream(snapshot(new KvStateMachine())));
    assertThat(target.summary()).isEqualTo(new StateSummary(0, 0, 0));
  }

  @Test
  void theSnapshotIsCompressedAndLeavesTheStreamsOpen() throws IOException {
    KvStateMachine source = new KvStateMachine();
    source.apply(1, command("SET", "k", "x".repeat(100_000)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    source.snapshot(out);
    out.write(new byte[] {1, 2, 3}); // still open
    assertThat(out.size()).isLessThan(1_000);
    assertThat(Arrays.copyOfRange(out.toByteArray(), 0, 6))
        .containsExactly('T', 'K', 'V', 'S', 1, 1);
  }

  /**
   * A flipped bit is either refused, leaving the state as it was, or (in zstd framing fields such
   * as the window size, which do not change the content) restores exactly the snapshot's state:
   * never a different state. Almost every position must be refused.
   */
  @Test
  void aFlippedBitNeverRestoresADifferentState() throws IOException {
    KvStateMachine source = filled(200, 3);
    byte[] snapshot = snapshot(source);
    int refused = 0;
    for (int i = 0; i < snapshot.length; i++) {
      byte[] damaged = snapshot.clone();
      damaged[i] ^= (byte) (1 << (i % 8));
      KvStateMachine target = filled(5, 4);
      StateSummary before = target.summary();
      Throwable thrown = catchThrowable(() -> target.restore(new ByteArrayInputStream(damaged)));
      if (thrown == null) {
        assertThat(target.summary()).as("bit flipped in byte %d", i).isEqualTo(source.summary());
      } else {
        assertThat(thrown)
            .as("bit flipped in byte %d", i)
            .isInstanceOf(IOException.class)
            .hasMessageStartingWith("cannot restore the key-value snapshot: ");
        assertThat(target.summary()).isEqualTo(before);
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(snapshot.length - 8);
  }

  @Test
  void aTruncatedSnapshotIsRefused() throws IOException {
    byte[] snapshot = snapshot(filled(50, 5));
    for (int length : new int[] {0, 3, 6, 10, snapshot.length / 2, snapshot.length - 1}) {
      byte[] truncated = Arrays.copyOf(snapshot, length);
      assertThatThrownBy(() -> new KvStateMachine().restore(new ByteArrayInputStream(truncated)))
          .as("truncated to %d bytes", length)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot restore the key-value snapshot: ");
    }
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    byte[] snapshot = snapshot(filled(5, 6));
    byte[] longer = Arrays.copyOf(snapshot, snapshot.length + 4);
    assertThatThrownBy(() -> new KvStateMachine().restore(new ByteArrayInputStream(longer)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot restore the key-value snapshot: ");
  }

  @Test
  void theHeaderErrorsSayWhatIsWrong() throws IOException {
    byte[] snapshot = snapshot(filled(5, 7));
    assertRefused(withByte(snapshot, 0, 'X'), "bad magic 0x584b5653, not a TinyKV snapshot");
    assertRefused(withByte(snapshot, 4, 2), "unknown format version 2; this node reads version 1");
    assertRefused(withByte(snapshot, 5, 7), "unknown compression 7");
  }

  @Test
  void restoreLeavesTheCallersStreamOpen() throws IOException {
    byte[] snapshot = snapshot(filled(5, 8));
    boolean[] closed = {false};
    InputStream in =
        new ByteArrayInputStream(snapshot) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    new KvStateMachine().restore(in);
    assertThat(closed[0]).isFalse();
  }

  private static void assertRefused(byte[] snapshot, String reason) {
    assertThatThrownBy(() -> new KvStateMachine().restore(new ByteArrayInputStream(snapshot)))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot restore the key-value snapshot: " + reason);
  }

  private static byte[] withByte(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    copy[at] = (byte) value;
    return copy;
  }

  private static byte[] snapshot(KvStateMachine kv) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.snapshot(out);
    return out.toByteArray();
  }

  private static KvStateMachine filled(int keys, long seed) {
    Random random = new Random(seed);
    KvStateMachine kv = new KvStateMachine();
    long index = 0;
    for (int i = 0; i < keys; i++) {
      byte[] value = new byte[random.nextInt(40)];
      random.nextBytes(value);
      WriteOp set =
          new WriteOp.Set(
              Bytes.of("key-" + i), Bytes.copyOf(value), WriteOp.Condition.ALWAYS, false);
      kv.apply(++index, set.encode());
    }
    return kv;
  }
}
