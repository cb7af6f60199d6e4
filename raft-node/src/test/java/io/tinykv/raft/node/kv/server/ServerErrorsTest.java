package io.tinykv.raft.node.kv.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.api.NodeStoppedException;
import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.api.ProposalDroppedException;
import io.tinykv.raft.node.api.ReadFailedException;
import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Every failure of a node future becomes an error that says whether it applied and what next. */
class ServerErrorsTest {

  private final ServerErrors errors = new ServerErrors(NodeId.of("a"));
  private static final Optional<NodeId> B = Optional.of(NodeId.of("b"));

  private String of(Throwable failure) {
    return errors.of(new CompletionException(failure)).message();
  }

  @Test
  void rejectedProposals() {
    assertThat(of(new NotLeaderException(Optional.empty(), RejectReason.NOT_LEADER)))
        .isEqualTo(
            "NOLEADER no leader is known to node a (an election is under way, or this node is"
                + " cut off from the cluster); the request was not applied, retry shortly");
    assertThat(of(new NotLeaderException(B, RejectReason.NOT_LEADER)))
        .startsWith("NOLEADER node a is not the leader")
        .contains("the leader is b", "not applied");
    assertThat(of(new NotLeaderException(Optional.empty(), RejectReason.NO_QUORUM)))
        .isEqualTo(
            "NOQUORUM the leader a cannot reach a majority of the cluster and refuses writes;"
                + " the request was not applied, retry shortly (a new leader may be elected)");
    assertThat(of(new NotLeaderException(B, RejectReason.LEADERSHIP_TRANSFER_IN_PROGRESS)))
        .isEqualTo(
            "TRYAGAIN leadership is being transferred to b; the request was not applied,"
                + " retry shortly");
  }

  @Test
  void definiteAndUnknownOutcomes() {
    assertThat(of(new ProposalDroppedException(7, 2)))
        .isEqualTo(
            "ERR not applied: the proposal at index 7 in term 2 was overwritten by a newer"
                + " leader; it is safe to retry");
    assertThat(of(new NodeStoppedException("a stopped", false)))
        .isEqualTo("ERR not applied: node a is stopped; retry the request at another node");
    assertThat(of(new NodeStoppedException("a stopped", true)))
        .isEqualTo(
            "ERR outcome unknown: node a stopped after proposing the write; the write may or may"
                + " not have been applied, check before retrying");
  }

  @Test
  void failedReads() {
    assertThat(of(new ReadFailedException("read not confirmed: NOT_LEADER", Optional.empty())))
        .startsWith("NOLEADER no leader is known to node a");
    assertThat(of(new ReadFailedException("read not confirmed: LEADERSHIP_LOST", B)))
        .isEqualTo(
            "TRYAGAIN the read could not be confirmed as up to date on node a (read not"
                + " confirmed: LEADERSHIP_LOST; the leader is b); nothing was changed, retry");
  }

  @Test
  void aBugSaysSoAndThatTheOutcomeIsUnknown() {
    assertThat(of(new IllegalStateException("boom")))
        .isEqualTo(
            "ERR internal error on node a: java.lang.IllegalStateException: boom;"
                + " the outcome of a write is unknown");
  }
}
