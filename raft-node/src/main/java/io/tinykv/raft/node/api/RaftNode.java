package io.tinykv.raft.node.api;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A running Raft replica of a {@link StateMachine}: the library API for embedders.
 *
 * <p>Threading: every method may be called from any thread and never blocks on I/O; results come
 * back through futures, completed on the node's applier thread (for command results and reads) or
 * its consensus thread (for rejections). Do not block in a callback attached to these futures.
 *
 * @param <R> the state machine's result type
 */
public interface RaftNode<R> extends AutoCloseable {

  NodeId id();

  /**
   * Proposes a command; completes as soon as the leader has appended it with its index, or fails
   * with {@link NotLeaderException}. The {@link Submitted#result()} then completes after commit and
   * apply.
   */
  CompletableFuture<Submitted<R>> propose(byte[] command);

  /** Proposes a command and completes with its result once committed and applied. */
  default CompletableFuture<R> submit(byte[] command) {
    return propose(command).thenCompose(Submitted::result);
  }

  /**
   * Runs {@code query} against the state machine once it reflects every write committed before this
   * call (a linearizable read through ReadIndex, dissertation 6.4). Works on followers too: they
   * ask the leader for the read index. The query runs on the applier thread, so it sees a
   * consistent state and must not block.
   */
  <T> CompletableFuture<T> read(Supplier<T> query);

  /** Asks the leader (this node) to hand leadership to {@code target}. */
  CompletableFuture<Void> transferLeadership(NodeId target);

  /**
   * Adds {@code node}, listening at {@code address}, as a learner (a non-voting member that
   * receives the log); the leader makes it a voter through a joint-consensus change once it has
   * caught up. Call it on the leader; completes with the configuration once the learner's addition
   * is committed, or fails with {@link NotLeaderException}, or {@link MembershipChangeException} if
   * it is refused (already a member, another change in progress) or not seen through.
   */
  CompletableFuture<Membership> addLearner(NodeId node, NodeAddress address);

  /**
   * Removes member {@code node} (a voter through joint consensus, or a learner). Call it on the
   * leader; a leader that removes itself hands leadership over once the change commits. Completes
   * with the configuration once the removal is committed; fails as {@link #addLearner} does.
   */
  CompletableFuture<Membership> removeMember(NodeId node);

  /** Steps down if this node is the leader; others elect a new one. */
  void stepDown();

  /**
   * Snapshots this node's state machine now (the seed's {@code SNAPSHOT}) and then compacts the log
   * it covers, keeping the configured tail. The snapshot is written by the applier thread, so
   * applying waits meanwhile; the consensus thread never does. Completes once the snapshot is
   * durable.
   */
  CompletableFuture<SnapshotResult> takeSnapshot();

  /** The latest published state; cheap, never blocks. */
  NodeStatus status();

  void addListener(NodeListener listener);

  /** Stops the node: pending requests fail with {@link NodeStoppedException}. */
  @Override
  void close();
}
