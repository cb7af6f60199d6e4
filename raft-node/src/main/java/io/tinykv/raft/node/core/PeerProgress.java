package io.tinykv.raft.node.core;

/**
 * What the leader knows about one follower's log: the highest index known to match ({@code match}),
 * the next index to send, the replication mode, appends in flight, and how many ticks ago it was
 * last heard from.
 */
public record PeerProgress(
    long match, long next, String mode, int inflight, long ticksSinceHeard) {}
