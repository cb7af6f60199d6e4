package io.tinykv.raft.node.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

  private static Backoff backoff(long seed) {
    return new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2), new Random(seed));
  }

  @Test
  void stepsDoubleFromTheMinimumUpToTheCap() {
    Backoff b = backoff(1);
    assertThat(b.step(0)).isEqualTo(50);
    assertThat(b.step(1)).isEqualTo(100);
    assertThat(b.step(5)).isEqualTo(1600);
    assertThat(b.step(6)).isEqualTo(2000);
    assertThat(b.step(1000)).isEqualTo(2000);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 20_240_601})
  void everyDelayLiesInTheUpperHalfOfItsStep(long seed) {
    Backoff b = backoff(seed);
    for (int n = 0; n < 40; n++) {
      long step = b.step(n);
      assertThat(b.nextDelayMillis()).as("attempt %d, seed %d", n, seed).isBetween(step / 2, step);
    }
  }

  @Test
  void resetStartsOverFromTheMinimum() {
    Backoff b = backoff(3);
    for (int n = 0; n < 10; n++) {
      b.nextDelayMillis();
    }
    b.reset();
    assertThat(b.nextDelayMillis()).isBetween(25L, 50L);
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    Backoff first = backoff(99);
    Backoff second = backoff(99);
    for (int n = 0; n < 20; n++) {
      assertThat(first.nextDelayMillis()).isEqualTo(second.nextDelayMillis());
    }
  }
}
