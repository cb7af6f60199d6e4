package io.tinykv.raft.node.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisIntegersTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "100"})
  void parsesWhatRedisParses(String text) {
    assertThat(parse(text)).isEqualTo(OptionalLong.of(Long.parseLong(text)));
    assertThat(RedisIntegers.toBytes(Long.parseLong(text)))
        .isEqualTo(text.getBytes(StandardCharsets.US_ASCII));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-",
        "+1",
        " 1",
        "1 ",
        "01",
        "-0",
        "-01",
        "1.0",
        "1e3",
        "abc",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999",
        "123456789012345678901"
      })
  void refusesWhatRedisRefuses(String text) {
    assertThat(parse(text)).isEmpty();
  }

  private static OptionalLong parse(String text) {
    return RedisIntegers.parse(text.getBytes(StandardCharsets.US_ASCII));
  }
}
