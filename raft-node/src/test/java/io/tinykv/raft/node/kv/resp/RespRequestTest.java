package io.tinykv.raft.node.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RespRequestTest {

  @Test
  void argumentsAreCopiedInAndOut() {
    byte[] key = bytes("k");
    RespRequest request = RespRequest.of(bytes("GET"), key);
    key[0] = 'x';
    assertThat(request.argString(1)).isEqualTo("k");
    request.arg(1)[0] = 'y';
    request.args().get(1)[0] = 'z';
    assertThat(request.argString(1)).isEqualTo("k");
  }

  @Test
  void keywordsAreAsciiUpperCaseAndShort() {
    RespRequest request = RespRequest.of("sEt", "nx", "\u017Fet", "é", "x".repeat(33));
    assertThat(request.commandName()).isEqualTo("SET");
    assertThat(request.keyword(1)).isEqualTo("NX");
    assertThat(request.keyword(2)).isNotEqualTo("SET");
    assertThat(request.keyword(3)).isNotEqualTo("É");
    assertThat(request.keyword(4)).isEmpty();
  }

  @Test
  void previewDecodesOnlyThePrefix() {
    RespRequest request = RespRequest.of("ECHO", "abcdef");
    assertThat(request.argPreview(1, 3)).isEqualTo("abc");
    assertThat(request.argPreview(1, 100)).isEqualTo("abcdef");
    assertThat(request.argLength(1)).isEqualTo(6);
  }

  @Test
  void tailIsTheWrappedRequest() {
    RespRequest request = RespRequest.of("SUBMIT", "SET", "k", "v");
    assertThat(request.tail(1)).isEqualTo(RespRequest.of("SET", "k", "v"));
    assertThatThrownBy(() -> request.tail(4)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRequestHasAName() {
    assertThatThrownBy(() -> RespRequest.of(new String[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void valueSemantics() {
    assertThat(RespRequest.of("GET", "k")).isEqualTo(RespRequest.of("GET", "k"));
    assertThat(RespRequest.of("GET", "k")).hasSameHashCodeAs(RespRequest.of("GET", "k"));
    assertThat(RespRequest.of("GET", "k")).isNotEqualTo(RespRequest.of("GET", "K"));
    assertThat(RespRequest.of("GET", "k")).hasToString("RespRequest[GET k]");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
