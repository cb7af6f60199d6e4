package io.tinykv.raft.node.core.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProgressTest {

  @Test
  void probeSendsOneAppendAtATime() {
    Progress p = new Progress(11, 4, 1 << 20);
    assertThat(p.isPaused()).isFalse();
    p.onAppendSent(3, 13, 300);
    assertThat(p.isPaused()).isTrue();
    p.resumeProbe();
    assertThat(p.isPaused()).isFalse();
  }

  @Test
  void replicateStreamsUntilTheWindowIsFull() {
    Progress p = new Progress(1, 2, 1 << 20);
    p.maybeUpdate(5);
    p.becomeReplicate();
    assertThat(p.next()).isEqualTo(6);
    p.onAppendSent(2, 7, 100);
    p.onAppendSent(2, 9, 100);
    assertThat(p.next()).isEqualTo(10);
    assertThat(p.isPaused()).isTrue();
    p.inflights().freeLe(7);
    assertThat(p.isPaused()).isFalse();
  }

  @Test
  void staleRejectionsAreIgnored() {
    Progress p = new Progress(1, 4, 1 << 20);
    p.maybeUpdate(5);
    p.becomeReplicate();
    assertThat(p.maybeDecrementTo(4, 0)).as("rejected index below match").isFalse();
    assertThat(p.maybeDecrementTo(8, 0)).isTrue();
    assertThat(p.next()).isEqualTo(6);
  }

  @Test
  void probeRejectionUsesTheHintButNeverGoesBelowMatch() {
    Progress p = new Progress(21, 4, 1 << 20);
    p.maybeUpdate(3);
    p.becomeProbe();
    p.onAppendSent(0, 3, 0);
    // next is 4 after becomeProbe; a rejection of prevLogIndex 3 is current.
    assertThat(p.maybeDecrementTo(3, 1)).isTrue();
    assertThat(p.next()).isEqualTo(4);
    assertThat(p.maybeDecrementTo(10, 1)).as("not the index we probed").isFalse();
  }

  @Test
  void inflightsEnforceIncreasingIndexesAndByteBudget() {
    Inflights in = new Inflights(10, 250);
    in.add(5, 100);
    in.add(7, 100);
    assertThat(in.isFull()).isFalse();
    in.add(9, 100);
    assertThat(in.isFull()).as("byte budget used").isTrue();
    in.freeFirst();
    assertThat(in.count()).isEqualTo(2);
    assertThatThrownBy(() -> in.add(8, 1)).isInstanceOf(IllegalStateException.class);
  }
}
