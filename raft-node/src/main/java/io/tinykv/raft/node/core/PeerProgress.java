package io.tinykv.raft.node.core;

/**
 * What the leader knows about one follower's log: the highest index known to match ({@code match}),
 * the next index to send, the replication mode, appends in flight, and whether it was heard from
 * within the current check-quorum window.
 */
public record PeerProgress(
    long match, long next, String mode, int inflight, boolean recentlyActive) {}
