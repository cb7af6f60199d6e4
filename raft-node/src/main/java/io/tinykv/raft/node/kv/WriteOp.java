package io.tinykv.raft.node.kv;

import java.util.List;

/**
 * A checked write command: what {@link WriteParser} makes of a client's request, what {@link
 * CommandCodec} puts in the Raft log, and what {@link KvStateMachine#apply} executes.
 */
public sealed interface WriteOp permits WriteOp.Set, WriteOp.Del, WriteOp.IncrBy, WriteOp.MSet {

  /** The bytes to propose: {@link CommandCodec#encode}. */
  default byte[] encode() {
    return CommandCodec.encode(this);
  }

  /** When SET writes: always, only if the key is absent (NX), or only if present (XX). */
  enum Condition {
    ALWAYS,
    IF_ABSENT,
    IF_PRESENT
  }

  /**
   * {@code SET key value [NX|XX] [GET]}: replies {@code +OK}, or a null bulk when the condition
   * fails; with GET, the old value (or a null bulk) whether or not it wrote.
   */
  record Set(Bytes key, Bytes value, Condition condition, boolean returnOld) implements WriteOp {}

  /** {@code DEL key...}: replies the number of keys that existed. */
  record Del(List<Bytes> keys) implements WriteOp {
    public Del {
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("DEL needs a key");
      }
    }
  }

  /** INCR, DECR and INCRBY: replies the new value; INCR is a delta of 1, DECR of -1. */
  record IncrBy(Bytes key, long delta) implements WriteOp {}

  /** {@code MSET key value [key value ...]}: replies {@code +OK}. */
  record MSet(List<Bytes> keys, List<Bytes> values) implements WriteOp {
    public MSet {
      keys = List.copyOf(keys);
      values = List.copyOf(values);
      if (keys.isEmpty() || keys.size() != values.size()) {
        throw new IllegalArgumentException(
            "MSET needs as many values as keys, at least one: "
                + keys.size()
                + ", "
                + values.size());
      }
    }
  }
}
