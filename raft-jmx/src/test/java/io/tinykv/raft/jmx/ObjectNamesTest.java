package io.tinykv.raft.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ObjectNamesTest {

  @Test
  void plainIdsAreNotQuoted() throws Exception {
    ObjectName node = ObjectNames.raftNode("n1");
    assertThat(node.getCanonicalName()).isEqualTo("io.tinykv:id=n1,type=RaftNode");
    assertThat(node).isEqualTo(new ObjectName("io.tinykv:type=RaftNode,id=n1"));
    assertThat(ObjectNames.log("n1")).isEqualTo(new ObjectName("io.tinykv:type=Log,id=n1"));
    assertThat(ObjectNames.peer("n1", "n2"))
        .isEqualTo(new ObjectName("io.tinykv:type=Peer,node=n1,peer=n2"));
    assertThat(ObjectNames.metric("n1", "commitLatency"))
        .isEqualTo(new ObjectName("io.tinykv:type=Metrics,id=n1,name=commitLatency"));
  }

  @Test
  void hostPortIdsAreQuotedAndRoundTrip() throws Exception {
    ObjectName node = ObjectNames.raftNode("10.0.0.1:7001");
    assertThat(node.getDomain()).isEqualTo(ObjectNames.DOMAIN);
    assertThat(node.getKeyProperty("type")).isEqualTo("RaftNode");
    assertThat(node.getKeyProperty("id")).isEqualTo("\"10.0.0.1:7001\"");
    assertThat(ObjectNames.unquote(node.getKeyProperty("id"))).isEqualTo("10.0.0.1:7001");
    assertThat(new ObjectName(node.getCanonicalName())).isEqualTo(node);
    assertThat(new ObjectName(node.toString())).isEqualTo(node);

    ObjectName peer = ObjectNames.peer("h1:7001", "h2:7002");
    assertThat(peer.getKeyProperty("type")).isEqualTo("Peer");
    assertThat(ObjectNames.unquote(peer.getKeyProperty("node"))).isEqualTo("h1:7001");
    assertThat(ObjectNames.unquote(peer.getKeyProperty("peer"))).isEqualTo("h2:7002");
    assertThat(new ObjectName(peer.getCanonicalName())).isEqualTo(peer);

    ObjectName log = ObjectNames.log("h1:7001");
    assertThat(log.getKeyProperty("type")).isEqualTo("Log");
    assertThat(ObjectNames.unquote(log.getKeyProperty("id"))).isEqualTo("h1:7001");
  }

  @Test
  void awkwardCharactersAreQuotedNotMisparsed() {
    for (String id : new String[] {"a,b", "a=b", "a\"b", "a*b", "a?b", "a\\b", "a\nb"}) {
      ObjectName name = ObjectNames.raftNode(id);
      assertThat(name.isPattern()).as(id).isFalse();
      assertThat(name.getKeyPropertyList()).as(id).hasSize(2);
      assertThat(ObjectNames.unquote(name.getKeyProperty("id"))).as(id).isEqualTo(id);
    }
  }

  @Test
  void plainValueUnquotesToItself() {
    assertThat(ObjectNames.unquote("n1")).isEqualTo("n1");
  }

  @Test
  void emptyIdIsRejected() {
    assertThatThrownBy(() -> ObjectNames.raftNode("")).isInstanceOf(IllegalArgumentException.class);
  }
}
