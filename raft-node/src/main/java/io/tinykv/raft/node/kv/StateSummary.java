package io.tinykv.raft.node.kv;

/**
 * What GET_STATUS and INFO show of the key-value state: replicas at the same applied index must
 * show the same key count and digest.
 *
 * @param appliedIndex the log index of the last command applied (or restored from a snapshot)
 * @param keys the number of keys
 * @param digest an order-independent 64-bit hash of all key-value pairs (see {@link
 *     KvStateMachine#digest()})
 */
public record StateSummary(long appliedIndex, long keys, long digest) {

  /** The digest as 16 hex digits, as GET_STATUS prints it. */
  public String digestHex() {
    return String.format("%016x", digest);
  }
}
