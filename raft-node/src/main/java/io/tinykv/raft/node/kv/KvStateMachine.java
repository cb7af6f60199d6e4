package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.node.kv.resp.RedisIntegers;
import io.tinykv.raft.node.kv.resp.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The replicated key-value store: binary-safe string keys and values with Redis semantics.
 *
 * <p>{@link #apply} executes the writes of {@link CommandCodec}, deciding every error from the
 * state and the command alone, so all replicas answer alike. {@link #read} serves GET, MGET, EXISTS
 * and DBSIZE from the current state; the runtime calls it on the applier thread once the state has
 * applied past the read's confirmed ReadIndex.
 *
 * <p>Threading: {@link #apply}, {@link #read}, {@link #snapshot} and {@link #restore} are called
 * from the applier thread only (the {@link StateMachine} contract). {@link #summary} may be called
 * from any thread.
 */
public final class KvStateMachine implements StateMachine<Reply> {

  /** The values are never modified in place: a write replaces the array. */
  private Map<Bytes, byte[]> data = new HashMap<>();

  /** The sum, modulo 2^64, of {@link #pairHash} over all pairs in {@link #data}. */
  private long digest;

  /** The index of the last command applied or restored; apply requires larger indexes. */
  private long appliedIndex;

  /** Published after every change, for readers on other threads. */
  private volatile StateSummary summary = new StateSummary(0, 0, 0);

  /**
   * Applies one committed write. Throws {@link MalformedCommandException} for bytes it cannot
   * decode (a command from a newer node version) and {@link IllegalStateException} for an index not
   * above the last one; both mean the node must stop applying.
   */
  @Override
  public Reply apply(long index, byte[] command) {
    if (index <= appliedIndex) {
      throw new IllegalStateException(
          "apply at index " + index + " after index " + appliedIndex + ": entries out of order");
    }
    WriteOp op = CommandCodec.decode(command);
    appliedIndex = index;
    Reply reply = execute(op);
    publish();
    return reply;
  }

  /** Answers a READ command (GET, MGET, EXISTS, DBSIZE) from the current state. */
  public Reply read(CommandCall call) {
    return switch (call.command()) {
      case GET -> valueReply(data.get(Bytes.wrap(call.arg(1))));
      case MGET -> {
        List<Reply> values = new ArrayList<>(call.argCount());
        for (int i = 1; i <= call.argCount(); i++) {
          values.add(valueReply(data.get(Bytes.wrap(call.arg(i)))));
        }
        yield Reply.array(values);
      }
      case EXISTS -> {
        long found = 0;
        for (int i = 1; i <= call.argCount(); i++) {
          found += data.containsKey(Bytes.wrap(call.arg(i))) ? 1 : 0;
        }
        yield Reply.integer(found);
      }
      case DBSIZE -> Reply.integer(data.size());
      default -> throw new IllegalArgumentException(call.command() + " is not a read command");
    };
  }

  /** The applied index, key count and digest, as of the last apply or restore. Any thread. */
  public StateSummary summary() {
    return summary;
  }

  /**
   * An order-independent hash of the whole state: the sum, modulo 2^64, of an XXH64-based hash of
   * each key-value pair. It is kept up to date on every write at the cost of hashing the pairs the
   * write touches, and is the same on every replica that holds the same pairs, however it got
   * there.
   */
  public long digest() {
    return digest;
  }

  @Override
  public void snapshot(OutputStream out) throws IOException {
    KvSnapshot.write(new KvSnapshot.State(appliedIndex, data, digest), out);
  }

  /**
   * Replaces the state with a snapshot's, including its applied index. A snapshot that fails its
   * checks is refused with an {@link IOException} and the state is left unchanged.
   */
  @Override
  public void restore(InputStream in) throws IOException {
    KvSnapshot.State state = KvSnapshot.read(in);
    data = state.data();
    digest = state.digest();
    appliedIndex = state.appliedIndex();
    publish();
  }

  static long pairHash(Bytes key, byte[] value) {
    return XxHash64.hash(value, XxHash64.hash(key.array(), 0));
  }

  private Reply execute(WriteOp op) {
    if (op instanceof WriteOp.Set set) {
      return set(set);
    } else if (op instanceof WriteOp.Del del) {
      long removed = 0;
      for (Bytes key : del.keys()) {
        removed += remove(key) ? 1 : 0;
      }
      return Reply.integer(removed);
    } else if (op instanceof WriteOp.IncrBy incr) {
      return incrBy(incr);
    } else {
      WriteOp.MSet mset = (WriteOp.MSet) op;
      for (int i = 0; i < mset.keys().size(); i++) {
        put(mset.keys().get(i), mset.values().get(i).array());
      }
      return Reply.OK;
    }
  }

  private Reply set(WriteOp.Set set) {
    byte[] old = data.get(set.key());
    boolean write =
        switch (set.condition()) {
          case IF_ABSENT -> old == null;
          case IF_PRESENT -> old != null;
          case ALWAYS -> true;
        };
    if (write) {
      put(set.key(), set.value().array());
    }
    if (set.returnOld()) {
      return valueReply(old);
    }
    return write ? Reply.OK : Reply.NULL_BULK;
  }

  private Reply incrBy(WriteOp.IncrBy incr) {
    byte[] old = data.get(incr.key());
    long current = 0;
    if (old != null) {
      OptionalLong parsed = RedisIntegers.parse(old);
      if (parsed.isEmpty()) {
        return Errors.NOT_AN_INTEGER;
      }
      current = parsed.getAsLong();
    }
    long next;
    try {
      next = Math.addExact(current, incr.delta());
    } catch (ArithmeticException overflow) {
      return Errors.OVERFLOW;
    }
    put(incr.key(), RedisIntegers.toBytes(next));
    return Reply.integer(next);
  }

  private void put(Bytes key, byte[] value) {
    byte[] old = data.put(key, value);
    if (old != null) {
      digest -= pairHash(key, old);
    }
    digest += pairHash(key, value);
  }

  private boolean remove(Bytes key) {
    byte[] old = data.remove(key);
    if (old == null) {
      return false;
    }
    digest -= pairHash(key, old);
    return true;
  }

  private static Reply valueReply(byte[] value) {
    return value == null ? Reply.NULL_BULK : Reply.bulk(value);
  }

  private void publish() {
    summary = new StateSummary(appliedIndex, data.size(), digest);
  }
}
