package io.tinykv.raft.node.core;

import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;

/** Volatile state worth reporting when it changes: role, known leader and term. */
public record SoftState(Role role, Optional<NodeId> leader, long term) {}
