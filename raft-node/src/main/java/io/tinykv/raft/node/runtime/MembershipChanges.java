package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.MembershipChangeException;
import io.tinykv.raft.node.api.NotLeaderException;
import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.RawNode;
import io.tinykv.raft.node.core.RejectReason;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.protocol.Membership;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Membership changes asked of this node, followed from proposal until the configuration they aim at
 * is committed. Everything runs on the consensus thread.
 */
final class MembershipChanges {

  /** A change under way: done once a settled configuration satisfies {@code done}. */
  private record Pending(
      String what,
      Predicate<Membership> done,
      CompletableFuture<Membership> future,
      long deadlineNanos) {}

  private final List<Pending> pending = new ArrayList<>();
  private final LongSupplier nanoClock;
  private final long timeoutNanos;

  MembershipChanges(LongSupplier nanoClock, long timeoutNanos) {
    this.nanoClock = nanoClock;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Proposes {@code change} of the configuration in force; {@code future} completes with the
   * settled configuration once {@code done} holds for it, or fails with a reason.
   */
  void start(
      RawNode raw,
      String what,
      UnaryOperator<Membership> change,
      Predicate<Membership> done,
      CompletableFuture<Membership> future) {
    RaftStatus status = raw.status();
    if (status.role() != Role.LEADER) {
      future.completeExceptionally(
          new NotLeaderException(status.leader(), RejectReason.NOT_LEADER));
      return;
    }
    Membership target;
    try {
      // A joint configuration refuses every change itself (Membership.requireSimple).
      target = change.apply(status.membership());
    } catch (IllegalArgumentException | IllegalStateException e) {
      future.completeExceptionally(
          new MembershipChangeException("cannot " + what + ": " + e.getMessage(), true));
      return;
    }
    ProposeResult result = raw.proposeMembership(target, System.currentTimeMillis());
    if (result instanceof ProposeResult.Rejected r) {
      future.completeExceptionally(new NotLeaderException(r.leaderHint(), r.reason()));
      return;
    }
    pending.add(new Pending(what, done, future, nanoClock.getAsLong() + timeoutNanos));
  }

  /** With every status the consensus thread publishes: completes or fails changes. */
  void onStatus(RaftStatus status) {
    if (pending.isEmpty()) {
      return;
    }
    long now = nanoClock.getAsLong();
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (status.membershipSettled() && p.done().test(status.membership())) {
        it.remove();
        p.future().complete(status.membership());
      } else if (status.role() != Role.LEADER) {
        it.remove();
        p.future()
            .completeExceptionally(
                new MembershipChangeException(
                    "leadership moved while trying to "
                        + p.what()
                        + "; the change may still complete: check LIST_NODES",
                    false));
      } else if (now - p.deadlineNanos() > 0) {
        it.remove();
        p.future()
            .completeExceptionally(
                new MembershipChangeException(
                    "could not "
                        + p.what()
                        + " within "
                        + timeoutNanos / 1_000_000_000
                        + " s (is a majority of the new configuration reachable?); it may still"
                        + " complete: check LIST_NODES",
                    false));
      }
    }
  }

  /** The node stops: nothing will be seen through. */
  void failAll(RuntimeException reason) {
    pending.forEach(p -> p.future().completeExceptionally(reason));
    pending.clear();
  }
}
