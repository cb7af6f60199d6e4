package io.tinykv.raft.node.jmx;

import io.tinykv.raft.jmx.Notifications;
import io.tinykv.raft.jmx.ObjectNames;
import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.core.SoftState;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the node's published state into notifications and Peer MBeans, on one thread of its own.
 *
 * <ul>
 *   <li>Role and leader changes come from the node's {@code NodeListener}, which runs on the
 *       consensus thread: it only queues the change here, so every transition is reported, in
 *       order, without ever blocking that thread.
 *   <li>Once per tick the watcher reads {@code RaftNode.status()}: a new configuration is a
 *       membership change; a leader's progress shows whether a majority was heard within an
 *       election timeout (quorum lost or regained, by the core's own check-quorum rule); and the
 *       leader's progress names the followers that get a Peer MBean.
 *   <li>A leader that steps down in its own term with no successor known, after its last status
 *       showed a majority silent for an election timeout (counting the time since), lost its quorum
 *       too: the core checks quorum only every election timeout and steps down at once, which a
 *       poll may miss.
 * </ul>
 */
final class NodeWatcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NodeWatcher.class);

  private final RaftNode<?> node;
  private final RaftNodeBean bean;
  private final MBeanServer server;
  private final Function<NodeId, PeerBean> newPeer;
  private final Function<NodeId, Optional<NodeAddress>> addresses;
  private final int electionTicks;
  private final int tickMillis;
  private final ScheduledExecutorService thread;
  private volatile boolean closed;

  // Watcher-thread state.
  private final Map<NodeId, ObjectName> peers = new TreeMap<>();
  private Membership membership;
  private boolean quorumLost;
  private RaftStatus lastLeaderStatus;
  private long lastLeaderSeenNanos;

  NodeWatcher(
      RaftNode<?> node,
      RaftNodeBean bean,
      MBeanServer server,
      Function<NodeId, PeerBean> newPeer,
      Function<NodeId, Optional<NodeAddress>> addresses,
      int electionTicks,
      int tickMillis) {
    this.node = node;
    this.bean = bean;
    this.server = server;
    this.newPeer = newPeer;
    this.addresses = addresses;
    this.electionTicks = electionTicks;
    this.tickMillis = tickMillis;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tinykv-jmx-" + node.id());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts watching: listens to the node and polls its status once per tick. */
  void start() {
    membership = node.status().raft().membership();
    node.addListener((previous, current) -> submit(() -> stateChanged(previous, current)));
    ScheduledFuture<?> unused =
        thread.scheduleWithFixedDelay(this::poll, 0, tickMillis, TimeUnit.MILLISECONDS);
  }

  /** Runs {@code work} on the watcher thread; dropped once closed. Never blocks the caller. */
  void submit(Runnable work) {
    if (closed) {
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              work.run();
            } catch (RuntimeException e) {
              LOG.warn("{}: management update failed", node.id(), e);
            }
          });
    } catch (RejectedExecutionException stopping) {
      // closed meanwhile
    }
  }

  void snapshotTaken(long index) {
    submit(
        () ->
            bean.emit(
                Notifications.SNAPSHOT_TAKEN,
                node.id() + " took a snapshot up to index " + index,
                Long.toString(index)));
  }

  void snapshotInstalled(long index) {
    submit(
        () ->
            bean.emit(
                Notifications.SNAPSHOT_INSTALLED,
                node.id() + " installed a snapshot from the leader up to index " + index,
                Long.toString(index)));
  }

  private void stateChanged(SoftState previous, SoftState current) {
    if (previous.role() != current.role()) {
      bean.emit(
          Notifications.ROLE_CHANGED,
          node.id()
              + " is now "
              + current.role()
              + " in term "
              + current.term()
              + " (was "
              + previous.role()
              + ")",
          current.role().name());
    }
    if (!previous.leader().equals(current.leader())) {
      bean.emit(
          Notifications.LEADER_CHANGED,
          current
              .leader()
              .map(
                  l ->
                      node.id()
                          + " knows "
                          + l
                          + addresses.apply(l).map(a -> " at " + a).orElse("")
                          + " as leader in term "
                          + current.term())
              .orElse(node.id() + " knows no leader in term " + current.term()),
          current.leader().map(NodeId::value).orElse(""));
    }
    if (previous.role() == Role.LEADER
        && current.role() != Role.LEADER
        && current.term() == previous.term()
        && current.leader().isEmpty()
        && !quorumLost
        && lastLeaderStatus != null
        && !StatusView.quorumHeard(lastLeaderStatus, electionTicks, ticksSinceLastLeaderStatus())) {
      quorumLost(previous.term(), " and stepped down");
    }
    if (quorumLost && current.role() != Role.LEADER && current.leader().isPresent()) {
      quorumRegained(
          node.id() + " knows leader " + current.leader().get() + " in term " + current.term());
    }
  }

  /** Ticks since the last leader status was read, at least one: a step-down happens on a tick. */
  private long ticksSinceLastLeaderStatus() {
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLeaderSeenNanos);
    return Math.max(1, Math.round((double) millis / tickMillis));
  }

  private void poll() {
    try {
      RaftStatus raft = node.status().raft();
      if (!raft.membership().equals(membership)) {
        Membership before = membership;
        membership = raft.membership();
        bean.emit(
            Notifications.MEMBERSHIP_CHANGED,
            "the configuration is now " + describe(membership) + " (was " + describe(before) + ")",
            members(membership));
      }
      if (raft.role() == Role.LEADER) {
        lastLeaderStatus = raft;
        lastLeaderSeenNanos = System.nanoTime();
        boolean heard = StatusView.quorumHeard(raft, electionTicks, 0);
        if (!heard && !quorumLost) {
          quorumLost(raft.term(), "; it refuses writes and steps down unless it hears one soon");
        } else if (heard && quorumLost) {
          quorumRegained(node.id() + ", leader in term " + raft.term() + ", hears a majority");
        }
      } else if (quorumLost && raft.leader().isPresent()) {
        quorumRegained(
            node.id() + " knows leader " + raft.leader().get() + " in term " + raft.term());
      }
      reconcilePeers(raft);
    } catch (RuntimeException e) {
      LOG.warn("{}: reading the status for management failed", node.id(), e);
    }
  }

  private void quorumLost(long term, String consequence) {
    quorumLost = true;
    bean.emit(
        Notifications.QUORUM_LOST,
        node.id()
            + ", leader in term "
            + term
            + ", has not heard from a majority within an election timeout ("
            + (long) electionTicks * tickMillis
            + " ms)"
            + consequence,
        Long.toString(term));
  }

  private void quorumRegained(String how) {
    quorumLost = false;
    bean.emit(
        Notifications.QUORUM_REGAINED,
        how + ": the cluster has a working majority again",
        node.status().raft().leader().map(NodeId::value).orElse(""));
  }

  /** One Peer MBean per follower while this node leads; none otherwise. */
  private void reconcilePeers(RaftStatus raft) {
    Set<NodeId> wanted = new HashSet<>();
    if (raft.role() == Role.LEADER) {
      for (NodeId peer : raft.progress().keySet()) {
        if (!peer.equals(raft.id()) && raft.membership().allMembers().contains(peer)) {
          wanted.add(peer);
        }
      }
    }
    peers.keySet().removeIf(peer -> !wanted.contains(peer) && unregister(peers.get(peer)));
    for (NodeId peer : wanted) {
      if (!peers.containsKey(peer)) {
        ObjectName name = ObjectNames.peer(node.id().value(), peer.value());
        try {
          server.registerMBean(newPeer.apply(peer), name);
          peers.put(peer, name);
        } catch (JMException e) {
          LOG.warn("{}: cannot register {}", node.id(), name, e);
        }
      }
    }
  }

  private boolean unregister(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (JMException e) {
      LOG.warn("{}: cannot unregister {}", node.id(), name, e);
    }
    return true;
  }

  private static String members(Membership m) {
    return m.allMembers().stream().map(NodeId::value).collect(Collectors.joining(","));
  }

  private static String describe(Membership m) {
    String text = "voters " + m.voters();
    if (m.isJoint()) {
      text += " joint with outgoing voters " + m.outgoingVoters();
    }
    if (!m.learners().isEmpty()) {
      text += ", learners " + m.learners();
    }
    return text;
  }

  /** Stops the thread and unregisters the Peer MBeans; waits up to 5 s for a poll in progress. */
  @Override
  public void close() {
    closed = true;
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
    peers.values().forEach(this::unregister);
    peers.clear();
  }
}
