package io.tinykv.raft.node.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Quorum math against a naive definition, over many seeded random configurations. */
class QuorumPropertyTest {

  private static final int RUNS = 5_000;

  @Test
  void committedIndexIsTheLargestIndexAMajorityHasReached() {
    Random random = new Random(1);
    for (int run = 0; run < RUNS; run++) {
      Set<NodeId> voters = randomVoters(random, 1 + random.nextInt(7));
      Map<NodeId, Long> acked = randomAcks(random, voters);
      long fast = new MajorityConfig(voters).committedIndex(acked::get);
      assertThat(fast).as("run %d, acks %s", run, acked).isEqualTo(naiveCommitted(voters, acked));
    }
  }

  @Test
  void jointCommittedIndexNeedsBothMajorities() {
    Random random = new Random(2);
    for (int run = 0; run < RUNS; run++) {
      Set<NodeId> incoming = randomVoters(random, 1 + random.nextInt(5));
      Set<NodeId> outgoing = randomVoters(random, 1 + random.nextInt(5));
      Set<NodeId> all = new TreeSet<>(incoming);
      all.addAll(outgoing);
      Map<NodeId, Long> acked = randomAcks(random, all);
      long joint =
          new JointConfig(new Membership(incoming, outgoing, Set.of())).committedIndex(acked::get);
      long expected = Math.min(naiveCommitted(incoming, acked), naiveCommitted(outgoing, acked));
      assertThat(joint).as("run %d", run).isEqualTo(expected);
    }
  }

  @Test
  void voteResultMatchesCounting() {
    Random random = new Random(3);
    for (int run = 0; run < RUNS; run++) {
      Set<NodeId> voters = randomVoters(random, 1 + random.nextInt(7));
      Map<NodeId, Boolean> votes = new HashMap<>();
      for (NodeId v : voters) {
        int r = random.nextInt(3);
        if (r < 2) {
          votes.put(v, r == 0);
        }
      }
      long granted = votes.values().stream().filter(b -> b).count();
      long rejected = votes.values().stream().filter(b -> !b).count();
      int majority = voters.size() / 2 + 1;
      VoteResult expected =
          granted >= majority
              ? VoteResult.WON
              : voters.size() - rejected >= majority ? VoteResult.PENDING : VoteResult.LOST;
      assertThat(new MajorityConfig(voters).voteResult(votes))
          .as("run %d, votes %s", run, votes)
          .isEqualTo(expected);
    }
  }

  @Test
  void emptyHalfAgreesToEverything() {
    MajorityConfig empty = new MajorityConfig(Set.of());
    assertThat(empty.committedIndex(id -> 0)).isEqualTo(Long.MAX_VALUE);
    assertThat(empty.voteResult(Map.of())).isEqualTo(VoteResult.WON);
  }

  /** The largest i such that more than half of the voters acked at least i. */
  private static long naiveCommitted(Set<NodeId> voters, Map<NodeId, Long> acked) {
    long best = 0;
    for (long candidate : acked.values()) {
      long holders = voters.stream().filter(v -> acked.get(v) >= candidate).count();
      if (holders * 2 > voters.size() && voters.stream().anyMatch(v -> acked.get(v) == candidate)) {
        best = Math.max(best, candidate);
      }
    }
    return best;
  }

  private static Set<NodeId> randomVoters(Random random, int n) {
    Set<NodeId> voters = new TreeSet<>();
    while (voters.size() < n) {
      voters.add(NodeId.of("n" + random.nextInt(9)));
    }
    return voters;
  }

  private static Map<NodeId, Long> randomAcks(Random random, Set<NodeId> voters) {
    Map<NodeId, Long> acked = new HashMap<>();
    for (NodeId v : voters) {
      acked.put(v, (long) random.nextInt(20));
    }
    return acked;
  }
}
