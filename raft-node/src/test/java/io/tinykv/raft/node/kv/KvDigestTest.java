package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.KvTesting.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KvDigestTest {

  @Test
  void theEmptyStateHasDigestZero() {
    assertThat(new KvStateMachine().digest()).isZero();
  }

  @Test
  void twoReplicasFedTheSameCommandsAgree() {
    List<byte[]> commands =
        List.of(
            command("SET", "a", "1"),
            command("INCR", "a"),
            command("MSET", "b", "x", "c", "y"),
            command("DEL", "b"),
            command("SET", "c", "z", "XX", "GET"),
            command("INCRBY", "c", "5"));
    KvStateMachine one = new KvStateMachine();
    KvStateMachine two = new KvStateMachine();
    for (int i = 0; i < commands.size(); i++) {
      assertThat(one.apply(i + 1, commands.get(i))).isEqualTo(two.apply(i + 1, commands.get(i)));
    }
    assertThat(one.summary()).isEqualTo(two.summary());
  }

  @Test
  void theDigestDependsOnTheStateNotTheHistory() {
    KvStateMachine forwards = apply("SET a 1", "SET b 2", "SET c 3");
    KvStateMachine backwards = apply("SET c 3", "SET b 2", "SET a 1");
    KvStateMachine winding =
        apply("SET a 9", "SET x 1", "SET b 2", "DEL x", "INCRBY a -8", "SET c 3");
    assertThat(backwards.digest()).isEqualTo(forwards.digest());
    assertThat(winding.digest()).isEqualTo(forwards.digest());
  }

  @Test
  void theDigestTellsStatesApart() {
    long base = apply("SET a 1").digest();
    assertThat(apply("SET a 2").digest()).isNotEqualTo(base);
    assertThat(apply("SET b 1").digest()).isNotEqualTo(base);
    assertThat(apply("SET a 1", "SET b 1").digest()).isNotEqualTo(base);
    // the boundary between key and value matters
    assertThat(apply("SET ab c").digest()).isNotEqualTo(apply("SET a bc").digest());
    // so does which key holds which value
    assertThat(apply("SET a 1", "SET b 2").digest())
        .isNotEqualTo(apply("SET a 2", "SET b 1").digest());
  }

  @Test
  void deletingEverythingReturnsToZero() {
    assertThat(apply("MSET a 1 b 2 c 3", "DEL a b c").digest()).isZero();
  }

  private static KvStateMachine apply(String... commands) {
    KvStateMachine kv = new KvStateMachine();
    long index = 0;
    for (String line : commands) {
      kv.apply(++index, command(line.split(" ")));
    }
    return kv;
  }
}
