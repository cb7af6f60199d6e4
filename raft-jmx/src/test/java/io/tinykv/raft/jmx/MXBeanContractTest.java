package io.tinykv.raft.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

class MXBeanContractTest {

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  @Test
  void interfacesAreMXBeans() {
    assertThat(JMX.isMXBeanInterface(RaftNodeMXBean.class)).isTrue();
    assertThat(JMX.isMXBeanInterface(PeerMXBean.class)).isTrue();
    assertThat(JMX.isMXBeanInterface(LogMXBean.class)).isTrue();
  }

  @Test
  void raftNodeAttributesAndOperationsThroughProxy() throws Exception {
    ObjectName name = ObjectNames.raftNode("test-node:7001");
    SERVER.registerMBean(new FakeRaftNode(), name);
    try {
      RaftNodeMXBean proxy = JMX.newMXBeanProxy(SERVER, name, RaftNodeMXBean.class);
      assertThat(proxy.getRole()).isEqualTo("LEADER");
      assertThat(proxy.getTerm()).isEqualTo(7L);
      assertThat(proxy.getLeaderId()).isEqualTo("n1");
      assertThat(proxy.getLeaderAddress()).isEqualTo("127.0.0.1:7001");
      assertThat(proxy.getCommitIndex()).isEqualTo(42L);
      assertThat(proxy.getAppliedIndex()).isEqualTo(41L);
      assertThat(proxy.getLastLogIndex()).isEqualTo(43L);
      assertThat(proxy.getSnapshotIndex()).isEqualTo(10L);
      assertThat(proxy.getMembers()).containsExactly(FakeRaftNode.MEMBERS);
      assertThat(proxy.getReachablePeers()).containsExactly("n2");
      assertThat(proxy.isAcceptingWrites()).isTrue();
      assertThat(proxy.getUptimeSeconds()).isEqualTo(99L);
      assertThat(proxy.addNode("127.0.0.1:7004")).isEqualTo("added 127.0.0.1:7004");
      assertThat(proxy.removeNode("n3")).isEqualTo("removed n3");
      assertThat(proxy.transferLeadership("n2")).isEqualTo("transferred to n2");
      assertThat(proxy.takeSnapshot()).isEqualTo("snapshot at 42");
      assertThat(proxy.stepDown()).isEqualTo("stepped down");

      // Generic clients (JConsole) see open types only.
      Object members = SERVER.getAttribute(name, "Members");
      assertThat(members).isInstanceOf(CompositeData[].class);
      CompositeData first = ((CompositeData[]) members)[0];
      assertThat(first.get("id")).isEqualTo("n1");
      assertThat(first.get("address")).isEqualTo("127.0.0.1:7001");
      assertThat(first.get("role")).isEqualTo("LEADER");
      assertThat(first.get("self")).isEqualTo(true);
      assertThat(SERVER.getAttribute(name, "Role")).isEqualTo("LEADER");
    } finally {
      SERVER.unregisterMBean(name);
    }
  }

  @Test
  void peerAttributesThroughProxy() throws Exception {
    ObjectName name = ObjectNames.peer("n1", "n2");
    SERVER.registerMBean(new FakePeer(), name);
    try {
      PeerMXBean proxy = JMX.newMXBeanProxy(SERVER, name, PeerMXBean.class);
      assertThat(proxy.getMatchIndex()).isEqualTo(40L);
      assertThat(proxy.getNextIndex()).isEqualTo(41L);
      assertThat(proxy.getLagEntries()).isEqualTo(3L);
      assertThat(proxy.getLastContactAgeMillis()).isEqualTo(12L);
      assertThat(proxy.getInFlight()).isEqualTo(2);
      assertThat(proxy.getHeartbeatLosses()).isEqualTo(1L);
      assertThat(proxy.getReconnects()).isEqualTo(4L);
    } finally {
      SERVER.unregisterMBean(name);
    }
  }

  @Test
  void logAttributesThroughProxy() throws Exception {
    ObjectName name = ObjectNames.log("n1");
    SERVER.registerMBean(new FakeLog(), name);
    try {
      LogMXBean proxy = JMX.newMXBeanProxy(SERVER, name, LogMXBean.class);
      assertThat(proxy.getFirstIndex()).isEqualTo(11L);
      assertThat(proxy.getLastIndex()).isEqualTo(43L);
      assertThat(proxy.getSegments()).isEqualTo(2);
      assertThat(proxy.getBytesOnDisk()).isEqualTo(4096L);
      assertThat(proxy.getCacheHitRatio()).isEqualTo(0.75);
      assertThat(proxy.getFsyncCount()).isEqualTo(9L);
      assertThat(proxy.getFsyncLatencyMillisMean()).isEqualTo(1.5);
      assertThat(proxy.getEntriesPerFsync()).isEqualTo(4.0);
    } finally {
      SERVER.unregisterMBean(name);
    }
  }

  @Test
  void notificationInfoCoversEveryTypeOnce() {
    Set<String> described = new HashSet<>();
    int count = 0;
    for (MBeanNotificationInfo info : Notifications.info()) {
      assertThat(info.getDescription()).isNotBlank();
      for (String type : info.getNotifTypes()) {
        described.add(type);
        count++;
      }
    }
    assertThat(count).isEqualTo(described.size());
    assertThat(described).containsExactlyInAnyOrder(Notifications.types());
    assertThat(Arrays.asList(Notifications.types()))
        .containsExactly(
            "io.tinykv.role.changed",
            "io.tinykv.leader.changed",
            "io.tinykv.membership.changed",
            "io.tinykv.quorum.lost",
            "io.tinykv.quorum.regained",
            "io.tinykv.snapshot.taken",
            "io.tinykv.snapshot.installed");
  }

  static final class FakeRaftNode implements RaftNodeMXBean {
    static final MemberInfo[] MEMBERS = {
      new MemberInfo("n1", "127.0.0.1:7001", "LEADER", true),
      new MemberInfo("n2", "127.0.0.1:7002", "FOLLOWER", false),
    };

    @Override
    public String getRole() {
      return "LEADER";
    }

    @Override
    public long getTerm() {
      return 7;
    }

    @Override
    public String getLeaderId() {
      return "n1";
    }

    @Override
    public String getLeaderAddress() {
      return "127.0.0.1:7001";
    }

    @Override
    public long getCommitIndex() {
      return 42;
    }

    @Override
    public long getAppliedIndex() {
      return 41;
    }

    @Override
    public long getLastLogIndex() {
      return 43;
    }

    @Override
    public long getSnapshotIndex() {
      return 10;
    }

    @Override
    public MemberInfo[] getMembers() {
      return MEMBERS.clone();
    }

    @Override
    public String[] getReachablePeers() {
      return new String[] {"n2"};
    }

    @Override
    public boolean isAcceptingWrites() {
      return true;
    }

    @Override
    public long getUptimeSeconds() {
      return 99;
    }

    @Override
    public String addNode(String address) {
      return "added " + address;
    }

    @Override
    public String removeNode(String id) {
      return "removed " + id;
    }

    @Override
    public String transferLeadership(String id) {
      return "transferred to " + id;
    }

    @Override
    public String takeSnapshot() {
      return "snapshot at 42";
    }

    @Override
    public String stepDown() {
      return "stepped down";
    }
  }

  static final class FakePeer implements PeerMXBean {
    @Override
    public long getMatchIndex() {
      return 40;
    }

    @Override
    public long getNextIndex() {
      return 41;
    }

    @Override
    public long getLagEntries() {
      return 3;
    }

    @Override
    public long getLastContactAgeMillis() {
      return 12;
    }

    @Override
    public int getInFlight() {
      return 2;
    }

    @Override
    public long getHeartbeatLosses() {
      return 1;
    }

    @Override
    public long getReconnects() {
      return 4;
    }
  }

  static final class FakeLog implements LogMXBean {
    @Override
    public long getFirstIndex() {
      return 11;
    }

    @Override
    public long getLastIndex() {
      return 43;
    }

    @Override
    public int getSegments() {
      return 2;
    }

    @Override
    public long getBytesOnDisk() {
      return 4096;
    }

    @Override
    public double getCacheHitRatio() {
      return 0.75;
    }

    @Override
    public long getFsyncCount() {
      return 9;
    }

    @Override
    public double getFsyncLatencyMillisMean() {
      return 1.5;
    }

    @Override
    public double getEntriesPerFsync() {
      return 4.0;
    }
  }
}
