package io.tinykv.raft.node.api;

import io.tinykv.raft.node.core.SoftState;

/**
 * Told about role, leader and term changes. Called on the node's consensus thread: return quickly
 * and never block (hand work to another thread).
 */
@FunctionalInterface
public interface NodeListener {

  void onStateChange(SoftState previous, SoftState current);
}
