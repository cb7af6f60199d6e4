package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/** A read request the core could not confirm; the caller should retry as the reason says. */
public record ReadFailure(long requestId, RejectReason reason, Optional<NodeId> leaderHint) {}
