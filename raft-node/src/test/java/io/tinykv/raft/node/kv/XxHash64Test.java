package io.tinykv.raft.node.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reference values of XXH64 with seed 0, as published with xxHash. */
class XxHash64Test {

  @Test
  void matchesTheReferenceImplementation() {
    assertThat(hash("")).isEqualTo(0xEF46DB3751D8E999L);
    assertThat(hash("a")).isEqualTo(0xD24EC4F1A98C6E5BL);
    assertThat(hash("abc")).isEqualTo(0x44BC2CF5AD770999L);
    assertThat(hash("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
  }

  @Test
  void theSeedChangesTheHash() {
    byte[] input = "abc".getBytes(StandardCharsets.US_ASCII);
    assertThat(XxHash64.hash(input, 1)).isNotEqualTo(XxHash64.hash(input, 0));
  }

  private static long hash(String text) {
    return XxHash64.hash(text.getBytes(StandardCharsets.US_ASCII), 0);
  }
}
