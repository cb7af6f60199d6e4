package io.tinykv.raft.protocol.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import io.tinykv.raft.protocol.message.PeerMessage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KryoRegistrationsTest {

  /**
   * The registration ids as released. This copy exists so that changing an id fails a test: ids are
   * part of the wire format and are never changed or reused. Only add lines here.
   */
  private static final Map<String, Integer> RELEASED_IDS =
      Map.ofEntries(
          Map.entry("RequestVote", 32),
          Map.entry("RequestVoteResponse", 33),
          Map.entry("AppendEntries", 34),
          Map.entry("AppendEntriesResponse", 35),
          Map.entry("Heartbeat", 36),
          Map.entry("HeartbeatResponse", 37),
          Map.entry("ReadIndex", 38),
          Map.entry("ReadIndexResponse", 39),
          Map.entry("TimeoutNow", 40),
          Map.entry("InstallSnapshot", 41),
          Map.entry("InstallSnapshotResponse", 42),
          Map.entry("QueryLeader", 64),
          Map.entry("QueryLeaderResponse", 65),
          Map.entry("JoinCluster", 66),
          Map.entry("JoinClusterResponse", 67),
          Map.entry("ClusterConfig", 68),
          Map.entry("ClusterConfigResponse", 69));

  @Test
  void releasedIdsNeverChange() {
    Map<String, Integer> ids = new TreeMap<>();
    for (KryoRegistrations.WireType<?> type : KryoRegistrations.TABLE) {
      ids.put(type.type().getSimpleName(), type.id());
    }
    assertThat(ids).containsAllEntriesOf(RELEASED_IDS);
  }

  @Test
  void everyMessageTypeIsRegisteredOnceUnderAUniqueUsableId() {
    Set<Class<?>> types = new HashSet<>();
    Set<Integer> ids = new HashSet<>();
    for (KryoRegistrations.WireType<?> type : KryoRegistrations.TABLE) {
      assertThat(types.add(type.type())).as("%s registered twice", type.type()).isTrue();
      assertThat(ids.add(type.id())).as("id %d used twice", type.id()).isTrue();
      assertThat(type.id())
          .isGreaterThanOrEqualTo(KryoRegistrations.FIRST_ID)
          .isLessThan(128)
          .isNotIn(KryoRegistrations.RETIRED_IDS);
    }
    assertThat(types).isEqualTo(KryoMessageCodecTest.concreteTypes(PeerMessage.class));
  }

  @Test
  void kryoKnowsEachMessageUnderItsTableIdAndRefusesEverythingElse() {
    Kryo kryo = KryoRegistrations.newKryo();
    assertThat(kryo.isRegistrationRequired()).isTrue();
    for (KryoRegistrations.WireType<?> type : KryoRegistrations.TABLE) {
      assertThat(kryo.getRegistration(type.type()).getId()).isEqualTo(type.id());
    }
    assertThatThrownBy(() -> kryo.getRegistration(Thread.class))
        .hasMessageContaining("not registered");
  }
}
