package io.tinykv.raft.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes of unique keys through a cluster, remembering each one a node acknowledged with {@code
 * +OK}: an acknowledged write must never be lost. A write that failed (an error reply, a timeout, a
 * lost connection) has an unknown outcome and is not checked; the kinds of failure are counted for
 * the failure messages.
 *
 * <p>Every loop is bounded twice, by its number of writes and by {@link #TIME_BUDGET}.
 */
final class AcknowledgedWrites {

  private static final Duration TIME_BUDGET = Duration.ofSeconds(60);

  /** Where nothing is acknowledged (an election), do not race through the write count. */
  private static final long PAUSE_AFTER_FAILURE_MILLIS = 20;

  private static final int MAX_BACKGROUND_WRITES = 20_000;
  private static final int READ_BATCH = 200;

  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  /**
   * Writes {@code prefix-0} to {@code prefix-(count-1)}, each once, through the nodes in turn;
   * returns how many were acknowledged.
   */
  int writeEachOnce(String prefix, int count, List<NodeProcess> through) {
    long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
    int acked = 0;
    try (RoundRobin clients = new RoundRobin(through)) {
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        if (clients.set(prefix + "-" + i)) {
          acked++;
        }
      }
    }
    return acked;
  }

  /**
   * Writes {@code prefix-0} to {@code prefix-(count-1)} through the nodes in turn, retrying each
   * key until it is acknowledged (SET is idempotent), and asserts they all were.
   */
  void writeAll(String prefix, int count, List<NodeProcess> through) {
    long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
    int acked = 0;
    try (RoundRobin clients = new RoundRobin(through)) {
      for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
        boolean done = clients.set(prefix + "-" + i);
        while (!done && System.nanoTime() < deadline) {
          pauseAfterFailure();
          done = clients.set(prefix + "-" + i);
        }
        if (!done) {
          break;
        }
        acked++;
      }
    }
    assertThat(acked)
        .as(
            "writes acknowledged through %s within %s (failures: %s)",
            through, TIME_BUDGET, failures)
        .isEqualTo(count);
  }

  /**
   * Starts writing {@code prefix-0}, {@code prefix-1}, ... through the nodes in turn on a thread of
   * its own, until the returned writer is closed (or after {@value #MAX_BACKGROUND_WRITES} writes
   * or {@link #TIME_BUDGET}).
   */
  BackgroundWriter startWriting(String prefix, List<NodeProcess> through) {
    return new BackgroundWriter(prefix, through);
  }

  /** Asserts that {@code node} reads every acknowledged write back with its value. */
  void assertAllReadableOn(NodeProcess node) {
    Map<String, String> wrong = new TreeMap<>();
    List<String> keys = new ArrayList<>(new TreeMap<>(acknowledged).keySet());
    try (Jedis jedis = node.client()) {
      for (int from = 0; from < keys.size(); from += READ_BATCH) {
        List<String> batch = keys.subList(from, Math.min(keys.size(), from + READ_BATCH));
        List<String> values = jedis.mget(batch.toArray(new String[0]));
        for (int i = 0; i < batch.size(); i++) {
          String expected = acknowledged.get(batch.get(i));
          if (!Objects.equals(expected, values.get(i))) {
            wrong.put(batch.get(i), "expected " + expected + ", read " + values.get(i));
          }
        }
      }
    }
    assertThat(wrong)
        .as("acknowledged writes (%d) lost or changed on %s", keys.size(), node)
        .isEmpty();
  }

  private static void pauseAfterFailure() {
    try {
      TimeUnit.MILLISECONDS.sleep(PAUSE_AFTER_FAILURE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Writes on its own thread until closed; see {@link #startWriting}. */
  final class BackgroundWriter implements AutoCloseable {

    private final AtomicInteger acked = new AtomicInteger();
    private final Thread thread;
    private volatile boolean stopping;

    private BackgroundWriter(String prefix, List<NodeProcess> through) {
      thread = new Thread(() -> run(prefix, through), "writer-" + prefix);
      thread.setDaemon(true);
      thread.start();
    }

    private void run(String prefix, List<NodeProcess> through) {
      long deadline = System.nanoTime() + TIME_BUDGET.toNanos();
      try (RoundRobin clients = new RoundRobin(through)) {
        for (int i = 0; i < MAX_BACKGROUND_WRITES && !stopping; i++) {
          if (System.nanoTime() > deadline) {
            break;
          }
          if (clients.set(prefix + "-" + i)) {
            acked.incrementAndGet();
          } else {
            pauseAfterFailure();
          }
        }
      }
    }

    /** How many of this writer's writes were acknowledged so far. */
    int acknowledged() {
      return acked.get();
    }

    /** Stops writing and waits for the write in progress (at most a client timeout). */
    @Override
    public void close() {
      stopping = true;
      try {
        thread.join(Duration.ofSeconds(30).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
  }

  /** One connection per node, used in turn; a connection that failed is reopened. */
  private final class RoundRobin implements AutoCloseable {

    private final List<NodeProcess> nodes;
    private final Jedis[] connections;
    private int next;

    RoundRobin(List<NodeProcess> nodes) {
      this.nodes = List.copyOf(nodes);
      this.connections = new Jedis[nodes.size()];
    }

    /** SET key=value-of-key through the next node; true if it was acknowledged. */
    boolean set(String key) {
      int i = next++ % nodes.size();
      String value = "value-of-" + key;
      try {
        if (connections[i] == null) {
          connections[i] = nodes.get(i).client();
        }
        if ("OK".equals(connections[i].set(key, value))) {
          acknowledged.put(key, value);
          return true;
        }
        failures.merge("reply other than OK", 1, Integer::sum);
      } catch (JedisDataException e) {
        failures.merge(firstWord(e.getMessage()), 1, Integer::sum); // NOLEADER, NOQUORUM, ERR
      } catch (JedisException e) {
        failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        closeConnection(i); // a timeout or a lost connection leaves it unusable
      }
      return false;
    }

    private void closeConnection(int i) {
      if (connections[i] != null) {
        try {
          connections[i].close();
        } catch (JedisException ignored) {
          // already broken
        }
        connections[i] = null;
      }
    }

    @Override
    public void close() {
      for (int i = 0; i < connections.length; i++) {
        closeConnection(i);
      }
    }

    private static String firstWord(String message) {
      String text = String.valueOf(message);
      int space = text.indexOf(' ');
      return space < 0 ? text : text.substring(0, space);
    }
  }
}
