package io.tinykv.raft.node.runtime;

/**
 * Told about events worth counting and timing, for metrics and management (see {@link
 * DefaultRaftNode#recordTo}). Every method is called on one of the node's pipeline threads (noted
 * on each): return at once and never block; do not call back into the node.
 */
public interface NodeRecorder {

  /** Records nothing; the default. */
  NodeRecorder NONE = new NodeRecorder() {};

  /** A proposal was handed to the node; on the proposing thread. */
  default void proposed() {}

  /**
   * A proposal made through this node was committed and applied, {@code nanos} after it was
   * proposed; on the applier thread.
   */
  default void applied(long nanos) {}

  /** The log writer made a batch durable with one fsync taking {@code nanos}; on its thread. */
  default void fsynced(long nanos) {}

  /** This node took a snapshot of its state machine covering the log up to {@code index}. */
  default void snapshotTaken(long index) {}

  /** This node installed a snapshot from the leader covering the log up to {@code index}. */
  default void snapshotInstalled(long index) {}
}
