package io.tinykv.raft.it.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the operations of concurrent clients: each client calls {@link #invoke} right before it
 * sends a request and then exactly one of {@link Pending#ok}, {@link Pending#failed} or {@link
 * Pending#indeterminate} when it has the reply or gives up. Thread-safe.
 */
public final class History {

  private final long origin = System.nanoTime();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<Operation> completed = new ArrayList<>();

  /** Starts an operation now; {@code argument} is the value of a SET, 0 otherwise. */
  public Pending invoke(int client, String node, Operation.Kind kind, String key, long argument) {
    return new Pending(ids.getAndIncrement(), client, node, kind, key, argument, now());
  }

  /** Nanoseconds since this history began. */
  public long now() {
    return System.nanoTime() - origin;
  }

  /** Every operation completed so far, by invocation. */
  public List<Operation> operations() {
    synchronized (completed) {
      List<Operation> copy = new ArrayList<>(completed);
      copy.sort(Comparator.comparingLong(Operation::invokedNanos));
      return copy;
    }
  }

  private void add(Operation op) {
    synchronized (completed) {
      completed.add(op);
    }
  }

  /** An operation sent and not answered yet. Complete it once. */
  public final class Pending {
    private final int id;
    private final int client;
    private final String node;
    private final Operation.Kind kind;
    private final String key;
    private final long argument;
    private final long invoked;
    private boolean done;

    private Pending(
        int id, int client, String node, Operation.Kind kind, String key, long argument, long t) {
      this.id = id;
      this.client = client;
      this.node = node;
      this.kind = kind;
      this.key = key;
      this.argument = argument;
      this.invoked = t;
    }

    /** It took effect: {@code result} is what a GET read (empty: absent) or INCR returned. */
    public Operation ok(OptionalLong result) {
      return finish(
          Operation.Outcome.OK, kind == Operation.Kind.SET ? OptionalLong.empty() : result, "");
    }

    /** The server said it was not applied. */
    public Operation failed(String why) {
      return finish(Operation.Outcome.FAILED, OptionalLong.empty(), why);
    }

    /** No usable answer: it may have taken effect or not. */
    public Operation indeterminate(String why) {
      return finish(Operation.Outcome.INDETERMINATE, OptionalLong.empty(), why);
    }

    private Operation finish(Operation.Outcome outcome, OptionalLong result, String note) {
      if (done) {
        throw new IllegalStateException("operation " + id + " was already completed");
      }
      done = true;
      Operation op =
          new Operation(
              id, client, node, kind, key, argument, invoked, now(), outcome, result, note);
      add(op);
      return op;
    }
  }
}
