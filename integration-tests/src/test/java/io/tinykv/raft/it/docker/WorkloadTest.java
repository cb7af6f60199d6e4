package io.tinykv.raft.it.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the workload reads TinyKV's error replies (ServerErrors in raft-node documents them). */
class WorkloadTest {

  @Test
  void refusalsTheServerDocumentsAsNotAppliedAreFailures() {
    assertThat(Workload.notApplied("NOLEADER no leader is known to node n1 (...); the request was"))
        .isTrue();
    assertThat(Workload.notApplied("NOQUORUM the leader n1 cannot reach a majority")).isTrue();
    assertThat(Workload.notApplied("TRYAGAIN leadership is being transferred")).isTrue();
    assertThat(Workload.notApplied("ERR not applied: the proposal was dropped")).isTrue();
  }

  @Test
  void everythingElseMayHaveTakenEffect() {
    assertThat(Workload.notApplied("ERR outcome unknown: the leader went away")).isFalse();
    assertThat(Workload.notApplied("ERR internal error on node n1: boom")).isFalse();
    assertThat(Workload.notApplied("ERR something new")).isFalse();
    assertThat(Workload.notApplied("")).isFalse();
  }
}
