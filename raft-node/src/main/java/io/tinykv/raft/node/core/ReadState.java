package io.tinykv.raft.node.core;

/**
 * A linearizable read may be served once the state machine has applied {@code index} (dissertation,
 * section 6.4). {@code requestId} is the caller's identifier from {@link RawNode#readIndex(long)}.
 */
public record ReadState(long requestId, long index) {}
