package io.tinykv.raft.node.server;

import io.tinykv.raft.node.transport.netty.ClusterClient;
import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.message.ClusterMessage;
import io.tinykv.raft.protocol.message.ClusterOutcome;
import io.tinykv.raft.protocol.message.JoinCluster;
import io.tinykv.raft.protocol.message.JoinClusterResponse;
import io.tinykv.raft.protocol.message.QueryLeader;
import io.tinykv.raft.protocol.message.QueryLeaderResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a running cluster through any member (the seed's init scenario 3): asks it {@code
 * QUERY_LEADER}, then asks the leader {@code JOIN_CLUSTER}, following redirects and retrying while
 * there is no leader, until the leader has committed this node as a learner.
 */
final class Joiner {

  private static final Logger LOG = LoggerFactory.getLogger(Joiner.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(40);
  private static final long RETRY_MILLIS = 500;

  private final PeerLinkConfig link;
  private final NodeId self;
  private final NodeAddress address;
  private final UUID uuid;

  Joiner(PeerLinkConfig link, NodeId self, NodeAddress address, UUID uuid) {
    this.link = link;
    this.self = self;
    this.address = address;
    this.uuid = uuid;
  }

  /**
   * Joins through {@code member}, trying for at most {@code patience}.
   *
   * @return the configuration to start with: the leader as a voter and this node as a learner; the
   *     leader's log then brings the whole configuration
   * @throws IllegalStateException if the cluster refuses this node, or no leader accepted it in
   *     time
   */
  Membership join(NodeAddress member, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    long requestId = 0;
    String lastProblem = "no attempt made";
    try (ClusterClient client = new ClusterClient(link)) {
      NodeAddress target = member;
      while (System.nanoTime() - deadline < 0) {
        try {
          ClusterMessage answer =
              client.call(target, new QueryLeader(++requestId), CALL_TIMEOUT).get();
          Optional<Endpoint> leader = ((QueryLeaderResponse) answer).leader();
          if (leader.isEmpty()) {
            lastProblem = target + " knows no leader right now";
          } else {
            JoinClusterResponse response =
                (JoinClusterResponse)
                    client
                        .call(
                            leader.get().address(),
                            new JoinCluster(++requestId, self, address, uuid),
                            CALL_TIMEOUT)
                        .get();
            if (response.outcome() == ClusterOutcome.OK) {
              LOG.info(
                  "{} joined the cluster through {} ({})", self, leader.get(), response.detail());
              return startingMembership(leader.get());
            }
            if (response.outcome() == ClusterOutcome.REJECTED) {
              throw new IllegalStateException(
                  "the cluster refused " + self + ": " + response.detail());
            }
            if (response.outcome() == ClusterOutcome.REDIRECT) {
              target = response.leader().map(Endpoint::address).orElse(member);
              lastProblem = "redirected to " + target;
              continue;
            }
            lastProblem = "the leader answered " + response.outcome() + ": " + response.detail();
          }
        } catch (ExecutionException e) {
          lastProblem = String.valueOf(e.getCause().getMessage());
          target = member;
        } catch (ClassCastException e) {
          lastProblem = "unexpected answer from " + target + ": " + e.getMessage();
        }
        LOG.info("{}: joining through {} not done yet: {}; retrying", self, target, lastProblem);
        TimeUnit.MILLISECONDS.sleep(RETRY_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while joining through " + member, e);
    }
    throw new IllegalStateException(
        "could not join the cluster through "
            + member
            + " within "
            + patience.toSeconds()
            + " s: "
            + lastProblem);
  }

  private Membership startingMembership(Endpoint leader) {
    return new Membership(
        Set.of(leader.id()),
        Set.of(),
        Set.of(self),
        Map.of(leader.id(), leader.address(), self, address));
  }
}
