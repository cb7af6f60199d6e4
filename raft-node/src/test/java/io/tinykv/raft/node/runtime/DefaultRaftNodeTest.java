package io.tinykv.raft.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.api.NodeBusyException;
import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.transport.local.LocalNetwork;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests never block their caller: a full ring or a stopped node refuses them at once. */
class DefaultRaftNodeTest {

  private static final NodeId A = NodeId.of("a");

  @TempDir Path root;

  private DefaultRaftNode<Long> notStarted(LocalNetwork network) {
    return DefaultRaftNode.onDisk(
        RaftConfig.builder(A).build(),
        new RuntimeOptions(10, 2, 2, 2),
        Membership.ofVoters(Set.of(A)),
        DiskStorage.open(StorageConfig.of(root, "test")),
        new Journal(),
        network.transportFor(A));
  }

  @Test
  void aFullRaftRingRefusesProposalsWithoutBlocking() {
    try (LocalNetwork network = new LocalNetwork();
        DefaultRaftNode<Long> node = notStarted(network)) {
      // Not started: nothing consumes the two-slot ring, so the third request finds it full.
      CompletableFuture<?> first = node.propose(new byte[] {1});
      CompletableFuture<?> second = node.propose(new byte[] {2});
      CompletableFuture<?> third = node.propose(new byte[] {3});
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();
      assertThat(third).isCompletedExceptionally();
      assertThat(third.handle((v, e) -> e))
          .isCompletedWithValueMatching(
              e -> e instanceof NodeBusyException busy && busy.definitelyNotApplied());
      assertThat(node.read(() -> 1)).isCompletedExceptionally();
    }
  }

  @Test
  void aStoppedNodeRefusesEverythingAtOnce() {
    try (LocalNetwork network = new LocalNetwork()) {
      DefaultRaftNode<Long> node = notStarted(network);
      node.close();
      assertThat(node.propose(new byte[] {1}).handle((v, e) -> e))
          .isCompletedWithValueMatching(e -> e instanceof NodeStoppedException);
      assertThat(node.transferLeadership(A).handle((v, e) -> e))
          .isCompletedWithValueMatching(e -> e instanceof NodeStoppedException);
      assertThat(node.read(() -> 1)).isCompletedExceptionally();
    }
  }
}
