package io.tinykv.raft.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressesAndIdsTest {

  @Test
  void addressesParseAndPrintBackTheSame() {
    assertThat(NodeAddress.parse("127.0.0.1:8001")).isEqualTo(NodeAddress.of("127.0.0.1", 8001));
    assertThat(NodeAddress.parse("node-1.example:65535").port()).isEqualTo(65_535);
    NodeAddress v6 = NodeAddress.parse("[::1]:8001");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.toString()).isEqualTo("[::1]:8001");
    assertThat(NodeAddress.parse(v6.toString())).isEqualTo(v6);
  }

  @Test
  void badAddressesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> NodeAddress.parse("host")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NodeAddress.parse(":80")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NodeAddress.parse("h:")).hasMessageContaining("host:port");
    assertThatThrownBy(() -> NodeAddress.parse("h:http")).hasMessageContaining("invalid port");
    assertThatThrownBy(() -> NodeAddress.parse("::1:80")).hasMessageContaining("bracketed");
    assertThatThrownBy(() -> NodeAddress.of("h", 0)).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> NodeAddress.of("h", 65_536)).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> NodeAddress.of("a b", 1)).hasMessageContaining("whitespace");
    assertThatThrownBy(() -> NodeAddress.of("[h]", 1)).hasMessageContaining("brackets");
    assertThatThrownBy(() -> NodeAddress.of("h".repeat(256), 1)).hasMessageContaining("1..255");
  }

  @Test
  void clusterIdsFollowTheNodeIdRules() {
    assertThat(ClusterId.of("prod-eu").toString()).isEqualTo("prod-eu");
    assertThatThrownBy(() -> ClusterId.of("")).hasMessageContaining("cluster id must have 1..128");
    assertThatThrownBy(() -> ClusterId.of("a\tb")).hasMessageContaining("whitespace");
    assertThat(Endpoint.of(NodeId.of("n1"), NodeAddress.of("h", 1)).toString()).isEqualTo("n1@h:1");
  }
}
