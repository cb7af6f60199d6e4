package io.tinykv.raft.it.docker;

import io.tinykv.raft.it.linearizability.History;
import io.tinykv.raft.it.linearizability.LinearizabilityChecker;
import io.tinykv.raft.it.linearizability.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Concurrent Redis clients (Jedis) doing GET, SET and INCR on a few keys through random nodes, each
 * operation recorded in a {@link History}; and one more client writing unique keys once each,
 * remembering those acknowledged (an acknowledged write must never be lost).
 *
 * <p>Every SET writes a value no other SET writes, a multiple of {@link
 * LinearizabilityChecker#VALUE_STRIDE}, so the checker can tell writes apart. A reply that says the
 * request was not applied ({@code -NOLEADER}, {@code -NOQUORUM}, {@code -TRYAGAIN}, {@code -ERR not
 * applied}) makes the operation FAILED; any other error reply ({@code -ERR outcome unknown}, an
 * internal error), a timeout or a lost connection makes it INDETERMINATE, and the connection is
 * replaced. Connecting is not part of an operation: a node that cannot be reached is skipped.
 *
 * <p>Bounded: each client stops after {@code maxOpsPerClient} operations or {@code maxDuration},
 * whichever comes first, or when closed.
 */
final class Workload implements AutoCloseable {

  /** The mix of operations, and how long a client waits for a reply. */
  record Config(
      int clients,
      List<String> keys,
      Duration timeout,
      Duration maxDuration,
      int maxOpsPerClient,
      int thinkMillis) {}

  private final History history;
  private final Supplier<List<DockerNode>> nodes;
  private final long seed;
  private final Config config;
  private final List<Thread> threads = new ArrayList<>();
  private final Map<String, Integer> errors = new ConcurrentHashMap<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final List<Throwable> crashes = new ArrayList<>();
  private final AtomicInteger uniqueAttempts = new AtomicInteger();
  private volatile boolean stopping;
  private long deadline;

  /** Clients pick among {@code nodes}, asked before each operation (removed nodes drop out). */
  Workload(History history, Supplier<List<DockerNode>> nodes, long seed, Config config) {
    this.history = history;
    this.nodes = nodes;
    this.seed = seed;
    this.config = config;
  }

  void start() {
    deadline = System.nanoTime() + config.maxDuration().toNanos();
    for (int c = 0; c < config.clients(); c++) {
      int client = c;
      threads.add(new Thread(() -> guarded(() -> runClient(client)), "client-" + c));
    }
    threads.add(new Thread(() -> guarded(this::runUniqueWriter), "unique-writer"));
    threads.forEach(t -> t.setDaemon(true));
    threads.forEach(Thread::start);
  }

  private void guarded(Runnable body) {
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      synchronized (crashes) {
        crashes.add(e);
      }
    }
  }

  private boolean running(int done) {
    return !stopping && done < config.maxOpsPerClient() && System.nanoTime() < deadline;
  }

  private void runClient(int client) {
    Random random = new Random(seed * 1_000_003L + client);
    Connections connections = new Connections();
    long written = 0;
    try {
      for (int done = 0; running(done); done++) {
        List<DockerNode> targets = nodes.get();
        DockerNode node = targets.get(random.nextInt(targets.size()));
        String key = config.keys().get(random.nextInt(config.keys().size()));
        int dice = random.nextInt(4);
        Operation.Kind kind =
            dice < 2 ? Operation.Kind.GET : dice == 2 ? Operation.Kind.SET : Operation.Kind.INCR;
        Jedis jedis = connections.get(node);
        if (jedis != null) {
          long argument = 0;
          if (kind == Operation.Kind.SET) {
            written++;
            argument = (client * 10_000_000L + written) * LinearizabilityChecker.VALUE_STRIDE;
          }
          perform(
              jedis,
              history.invoke(client, node.name(), kind, key, argument),
              kind,
              key,
              argument,
              node,
              connections);
        }
        think(random);
      }
    } finally {
      connections.closeAll();
    }
  }

  private void perform(
      Jedis jedis,
      History.Pending pending,
      Operation.Kind kind,
      String key,
      long argument,
      DockerNode node,
      Connections connections) {
    try {
      switch (kind) {
        case GET -> {
          String value = jedis.get(key);
          pending.ok(value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value)));
        }
        case SET -> {
          String reply = jedis.set(key, Long.toString(argument));
          if ("OK".equals(reply)) {
            pending.ok(OptionalLong.empty());
          } else {
            pending.indeterminate("reply " + reply);
          }
        }
        case INCR -> pending.ok(OptionalLong.of(jedis.incr(key)));
      }
    } catch (JedisDataException e) {
      String message = String.valueOf(e.getMessage());
      count(firstWord(message));
      if (notApplied(message)) {
        pending.failed(firstWord(message));
      } else {
        pending.indeterminate(message);
      }
    } catch (JedisException e) {
      count(e.getClass().getSimpleName());
      pending.indeterminate(e.getClass().getSimpleName() + ": " + e.getMessage());
      connections.drop(node);
    }
  }

  /** The error replies TinyKV documents as "the request was not applied". */
  static boolean notApplied(String message) {
    return message.startsWith("NOLEADER")
        || message.startsWith("NOQUORUM")
        || message.startsWith("TRYAGAIN")
        || message.startsWith("ERR not applied");
  }

  private void runUniqueWriter() {
    Random random = new Random(seed * 7_919L);
    Connections connections = new Connections();
    try {
      for (int done = 0; running(done); done++) {
        List<DockerNode> targets = nodes.get();
        DockerNode node = targets.get(random.nextInt(targets.size()));
        Jedis jedis = connections.get(node);
        if (jedis != null) {
          String key = "unique-" + uniqueAttempts.incrementAndGet();
          try {
            if ("OK".equals(jedis.set(key, key))) {
              acknowledged.add(key);
            }
          } catch (JedisDataException e) {
            // refused or unknown: not acknowledged, so not checked
          } catch (JedisException e) {
            connections.drop(node);
          }
        }
        think(random);
      }
    } finally {
      connections.closeAll();
    }
  }

  private void think(Random random) {
    if (config.thinkMillis() > 0) {
      DockerNode.sleep(Duration.ofMillis(1 + random.nextInt(config.thinkMillis())));
    }
  }

  private void count(String what) {
    errors.merge(what, 1, Integer::sum);
  }

  private static String firstWord(String message) {
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  /** Unique keys whose SET was acknowledged with +OK. */
  Set<String> acknowledgedUniqueKeys() {
    return Set.copyOf(acknowledged);
  }

  /** How many times each kind of error was seen (reply codes and exception classes). */
  Map<String, Integer> errors() {
    return Map.copyOf(errors);
  }

  /** Stops the clients and waits for them (at most a client timeout each); rethrows a crash. */
  @Override
  public void close() {
    stopping = true;
    for (Thread thread : threads) {
      try {
        thread.join(config.timeout().toMillis() + TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      if (thread.isAlive()) {
        throw new IllegalStateException(thread.getName() + " did not stop");
      }
    }
    synchronized (crashes) {
      if (!crashes.isEmpty()) {
        IllegalStateException e = new IllegalStateException("a client crashed", crashes.get(0));
        crashes.stream().skip(1).forEach(e::addSuppressed);
        throw e;
      }
    }
  }

  /** One connection per node, opened on first use and replaced after a failure. */
  private final class Connections {
    private final Map<DockerNode, Jedis> open = new HashMap<>();

    /** A connection to {@code node}, or null if it cannot be reached now. */
    Jedis get(DockerNode node) {
      Jedis jedis = open.get(node);
      if (jedis == null) {
        try {
          jedis = node.client((int) config.timeout().toMillis());
          open.put(node, jedis);
        } catch (JedisException e) {
          count("connect failed");
          return null;
        }
      }
      return jedis;
    }

    void drop(DockerNode node) {
      Jedis jedis = open.remove(node);
      if (jedis != null) {
        try {
          jedis.close();
        } catch (JedisException ignored) {
          // already broken
        }
      }
    }

    void closeAll() {
      for (DockerNode node : List.copyOf(open.keySet())) {
        drop(node);
      }
    }
  }
}
