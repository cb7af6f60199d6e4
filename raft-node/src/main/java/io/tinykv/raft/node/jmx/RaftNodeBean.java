package io.tinykv.raft.node.jmx;

import io.tinykv.raft.jmx.MemberInfo;
import io.tinykv.raft.jmx.Notifications;
import io.tinykv.raft.jmx.RaftNodeMXBean;
import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.transport.netty.PeerLinkStats;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

/**
 * The RaftNode MBean: attributes from the node's published status, operations through the {@link
 * RaftNode} API ({@code transferLeadership}, {@code stepDown}) or {@link ClusterOperations}, and
 * the notifications {@link NodeWatcher} decides to send.
 *
 * <p>Every refusal is a JDK exception with a readable message and no cause, so that JConsole, which
 * has no TinyKV classes, shows it.
 */
final class RaftNodeBean extends NotificationBroadcasterSupport implements RaftNodeMXBean {

  private final ObjectName name;
  private final RaftNode<?> node;
  private final Function<NodeId, Optional<NodeAddress>> addresses;
  private final Function<NodeId, Optional<PeerLinkStats>> links;
  private final LongSupplier snapshotIndex;
  private final ClusterOperations operations;
  private final int electionTicks;
  private final int tickMillis;
  private final AtomicLong sequence = new AtomicLong();

  RaftNodeBean(
      ObjectName name,
      RaftNode<?> node,
      Function<NodeId, Optional<NodeAddress>> addresses,
      Function<NodeId, Optional<PeerLinkStats>> links,
      LongSupplier snapshotIndex,
      ClusterOperations operations,
      int electionTicks,
      int tickMillis) {
    super(Notifications.info());
    this.name = name;
    this.node = node;
    this.addresses = addresses;
    this.links = links;
    this.snapshotIndex = snapshotIndex;
    this.operations = operations;
    this.electionTicks = electionTicks;
    this.tickMillis = tickMillis;
  }

  private RaftStatus raft() {
    return node.status().raft();
  }

  // ---- attributes ----

  @Override
  public String getRole() {
    return StatusView.role(raft());
  }

  @Override
  public long getTerm() {
    return raft().term();
  }

  @Override
  public String getLeaderId() {
    return raft().leader().map(NodeId::value).orElse("");
  }

  @Override
  public String getLeaderAddress() {
    return raft().leader().flatMap(addresses).map(NodeAddress::toString).orElse("");
  }

  @Override
  public long getCommitIndex() {
    return raft().commitIndex();
  }

  @Override
  public long getAppliedIndex() {
    return node.status().appliedIndex();
  }

  @Override
  public long getLastLogIndex() {
    return raft().lastIndex();
  }

  @Override
  public long getSnapshotIndex() {
    return snapshotIndex.getAsLong();
  }

  @Override
  public MemberInfo[] getMembers() {
    RaftStatus raft = raft();
    List<MemberInfo> members = new ArrayList<>();
    for (NodeId member : raft.membership().allMembers()) {
      members.add(
          new MemberInfo(
              member.value(),
              addresses.apply(member).map(NodeAddress::toString).orElse(""),
              StatusView.roleOf(raft, member),
              member.equals(raft.id())));
    }
    return members.toArray(new MemberInfo[0]);
  }

  @Override
  public String[] getReachablePeers() {
    RaftStatus raft = raft();
    List<String> reachable = new ArrayList<>();
    for (NodeId member : raft.membership().allMembers()) {
      if (member.equals(raft.id())) {
        continue;
      }
      boolean heard =
          raft.role() == Role.LEADER
              ? Optional.ofNullable(raft.progress().get(member))
                  .filter(p -> p.ticksSinceHeard() <= electionTicks)
                  .isPresent()
              : links.apply(member).filter(PeerLinkStats::connected).isPresent();
      if (heard) {
        reachable.add(member.value());
      }
    }
    return reachable.toArray(new String[0]);
  }

  @Override
  public boolean isAcceptingWrites() {
    return StatusView.quorumHeard(raft(), electionTicks, 0);
  }

  @Override
  public long getUptimeSeconds() {
    return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
  }

  // ---- operations ----

  @Override
  public String addNode(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("addNode takes the new node's host:port");
    }
    return operations.addNode(address.trim());
  }

  @Override
  public String removeNode(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("removeNode takes the id of the member to remove");
    }
    return operations.removeNode(id.trim());
  }

  @Override
  public String takeSnapshot() {
    return operations.takeSnapshot();
  }

  @Override
  public String transferLeadership(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("transferLeadership takes the id of a member");
    }
    NodeId target;
    try {
      target = NodeId.of(id.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a node id: " + e.getMessage());
    }
    RaftStatus raft = raft();
    if (!raft.membership().isVoter(target)) {
      throw new IllegalArgumentException(
          target + " is not a voting member; the voters are " + raft.membership().voters());
    }
    if (target.equals(raft.id())) {
      if (raft.role() == Role.LEADER) {
        return raft.id() + " is already the leader (term " + raft.term() + ")";
      }
      throw notLeader(raft);
    }
    if (raft.role() != Role.LEADER) {
      throw notLeader(raft);
    }
    try {
      node.transferLeadership(target).get(operationWait().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot transfer leadership to " + target + ": " + e.getCause().getMessage());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the transfer to " + target + " was not accepted within " + operationWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while transferring leadership");
    }
    Optional<NodeStatus> done =
        await(s -> s.raft().leader().filter(target::equals).isPresent() || isNewTerm(s, raft));
    if (done.isPresent() && done.get().raft().leader().filter(target::equals).isPresent()) {
      return target + " is now the leader (term " + done.get().raft().term() + ")";
    }
    RaftStatus now = raft();
    return "leadership transfer to "
        + target
        + " started; after "
        + operationWait().toMillis()
        + " ms the leader is "
        + now.leader().map(NodeId::value).orElse("unknown")
        + " in term "
        + now.term();
  }

  private static boolean isNewTerm(NodeStatus s, RaftStatus before) {
    return s.raft().term() > before.term() && s.raft().leader().isPresent();
  }

  @Override
  public String stepDown() {
    RaftStatus raft = raft();
    if (raft.role() != Role.LEADER) {
      throw notLeader(raft);
    }
    node.stepDown();
    Optional<NodeStatus> done = await(s -> s.raft().role() != Role.LEADER);
    if (done.isEmpty()) {
      throw new IllegalStateException(
          raft.id() + " is still the leader " + operationWait().toMillis() + " ms later");
    }
    return raft.id()
        + " stepped down in term "
        + raft.term()
        + "; the members elect a new leader (it may be elected again)";
  }

  private IllegalStateException notLeader(RaftStatus raft) {
    String leader =
        raft.leader()
            .map(
                l ->
                    "; the leader is "
                        + l
                        + addresses.apply(l).map(a -> " at " + a).orElse("")
                        + ": use its RaftNode MBean")
            .orElse("; no leader is known now, try again shortly");
    return new IllegalStateException(raft.id() + " is not the leader" + leader);
  }

  /**
   * How long an operation waits for its effect: three maximum election timeouts, at least 5 s (a
   * loaded machine may need them; a healthy cluster answers within a few ticks).
   */
  private Duration operationWait() {
    return Duration.ofMillis(Math.max(5_000, 6L * electionTicks * tickMillis));
  }

  /** Polls the published status (once per tick) until {@code done} holds or the wait is over. */
  private Optional<NodeStatus> await(Predicate<NodeStatus> done) {
    long deadline = System.nanoTime() + operationWait().toNanos();
    while (true) {
      NodeStatus s = node.status();
      if (done.test(s)) {
        return Optional.of(s);
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  // ---- notifications ----

  /** Sends one notification to every listener; called on the watcher thread only. */
  void emit(String type, String message, String userData) {
    Notification n =
        new Notification(
            type, name, sequence.incrementAndGet(), System.currentTimeMillis(), message);
    n.setUserData(userData);
    sendNotification(n);
  }

  @Override
  public MBeanNotificationInfo[] getNotificationInfo() {
    return Notifications.info();
  }
}
