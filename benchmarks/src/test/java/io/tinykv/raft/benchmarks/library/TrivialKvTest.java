package io.tinykv.raft.benchmarks.library;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TrivialKvTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putsOverwriteAndCount() {
    TrivialKv kv = new TrivialKv();
    assertThat(kv.apply(TrivialKv.put(b("k1"), b("a")))).isEqualTo(1);
    assertThat(kv.apply(TrivialKv.put(b("k2"), b("b")))).isEqualTo(2);
    assertThat(kv.apply(TrivialKv.put(b("k1"), b("c")))).isEqualTo(2);
    assertThat(kv.get(b("k1"))).isEqualTo(b("c"));
    assertThat(kv.get(b("nope"))).isNull();
  }

  @Test
  void snapshotRestoresEveryPairAndReplacesTheOldState() throws IOException {
    TrivialKv kv = new TrivialKv();
    for (int i = 0; i < 100; i++) {
      kv.apply(TrivialKv.put(b("key" + i), b("value" + i)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.writeTo(out);

    TrivialKv restored = new TrivialKv();
    restored.apply(TrivialKv.put(b("stale"), b("x")));
    restored.readFrom(new ByteArrayInputStream(out.toByteArray()));

    assertThat(restored.size()).isEqualTo(100);
    assertThat(restored.get(b("key42"))).isEqualTo(b("value42"));
    assertThat(restored.get(b("stale"))).isNull();
  }

  @Test
  void anUnknownOperationIsRefused() {
    assertThatThrownBy(() -> new TrivialKv().apply(new byte[] {9, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown operation 9");
  }
}
