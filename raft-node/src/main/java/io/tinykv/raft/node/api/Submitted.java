package io.tinykv.raft.node.api;

import java.util.concurrent.CompletableFuture;

/**
 * A command the leader appended to its log at {@code index} in {@code term} (the seed's two-phase
 * submit: the index is known at once, the result once the entry is committed and applied).
 *
 * @param result completes with the state machine's result, or fails with {@link
 *     ProposalDroppedException} if another entry was committed at this index, or {@link
 *     NodeStoppedException} if this node stopped first
 */
public record Submitted<R>(long index, long term, CompletableFuture<R> result) {}
