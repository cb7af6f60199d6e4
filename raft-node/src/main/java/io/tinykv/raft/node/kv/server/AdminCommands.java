package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.api.Submitted;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.CommandCall;
import io.tinykv.raft.node.kv.KvStateMachine;
import io.tinykv.raft.node.kv.resp.RedisIntegers;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The seed's cluster commands: {@code GET_MASTER}, {@code LIST_NODES}, {@code GET_STATUS}, {@code
 * SUBMIT}, {@code RESULT}, {@code TRANSFER_LEADER}, {@code SNAPSHOT}, {@code ADD_NODE} and {@code
 * REMOVE_NODE}. Membership changes and transfers run on the leader: a follower forwards them.
 */
final class AdminCommands {

  private final RaftNode<Reply> node;
  private final KvStateMachine kv;
  private final Function<NodeId, Optional<NodeAddress>> addresses;
  private final StatusReport report;
  private final WritePath writes;
  private final SubmittedResults results;
  private final Forwarding forwarding;
  private final ServerErrors errors;

  AdminCommands(
      RaftNode<Reply> node,
      KvStateMachine kv,
      Function<NodeId, Optional<NodeAddress>> addresses,
      int tickMillis,
      WritePath writes,
      SubmittedResults results,
      Forwarding forwarding,
      ServerErrors errors) {
    this.node = node;
    this.kv = kv;
    this.addresses = addresses;
    this.report = new StatusReport(addresses, tickMillis);
    this.writes = writes;
    this.results = results;
    this.forwarding = forwarding;
    this.errors = errors;
  }

  CompletableFuture<Reply> execute(CommandCall call, ClientSession session) {
    return switch (call.command()) {
      case GET_MASTER -> done(getMaster());
      case LIST_NODES -> done(report.nodes(node.status().raft()));
      case GET_STATUS -> done(report.status(node.status(), kv.summary()));
      case SUBMIT -> writes.submit(call, session);
      case RESULT -> result(call, session);
      case TRANSFER_LEADER -> transferLeader(call, session);
      case SNAPSHOT -> snapshot();
      case ADD_NODE -> addNode(call, session);
      case REMOVE_NODE -> removeNode(call, session);
      default -> throw new IllegalArgumentException(call.command() + " is not a cluster command");
    };
  }

  /** The leader's id and client address (a null bulk if unknown), or {@code -NOLEADER}. */
  private Reply getMaster() {
    Optional<NodeId> leader = node.status().raft().leader();
    if (leader.isEmpty()) {
      return errors.noLeader();
    }
    return Reply.array(
        Reply.bulk(leader.get().value()),
        addresses
            .apply(leader.get())
            .<Reply>map(a -> Reply.bulk(a.toString()))
            .orElse(Reply.NULL_BULK));
  }

  /**
   * {@code RESULT <index>}: the result of a SUBMIT proposed through this node. A follower that does
   * not know the index asks the leader, through which its own SUBMITs were forwarded.
   */
  private CompletableFuture<Reply> result(CommandCall call, ClientSession session) {
    OptionalLong parsed = RedisIntegers.parse(call.request().arg(1));
    if (parsed.isEmpty() || parsed.getAsLong() < 1) {
      return done(Reply.err("RESULT takes the log index that SUBMIT replied, a positive integer"));
    }
    long index = parsed.getAsLong();
    Optional<Submitted<Reply>> submitted = results.get(index);
    if (submitted.isPresent()) {
      CompletableFuture<Reply> result = submitted.get().result();
      if (!result.isDone()) {
        return done(
            Reply.err(
                "not yet committed: the entry at index "
                    + index
                    + " (term "
                    + submitted.get().term()
                    + ") has not been applied yet; ask again with RESULT "
                    + index));
      }
      return result.handle((reply, f) -> f == null ? reply : errors.of(f));
    }
    RaftStatus raft = node.status().raft();
    if (raft.role() != Role.LEADER
        && raft.leader().isPresent()
        && !Forwarding.arrivedForwarded(session)) {
      return forwarding.toLeader(raft.leader(), call.request(), session);
    }
    return done(
        Reply.err(
            "no SUBMIT result for index "
                + index
                + " on node "
                + node.id()
                + ": it was not submitted through this node, or its result expired (the last "
                + results.capacity()
                + " are kept)"));
  }

  /** {@code TRANSFER_LEADER id}: {@code +OK} once the leader has started the transfer. */
  private CompletableFuture<Reply> transferLeader(CommandCall call, ClientSession session) {
    NodeId target;
    try {
      target = NodeId.of(call.argString(1));
    } catch (IllegalArgumentException e) {
      return done(Reply.err("TRANSFER_LEADER takes a node id: " + e.getMessage()));
    }
    RaftStatus raft = node.status().raft();
    if (raft.role() != Role.LEADER) {
      return forwarding.toLeader(raft.leader(), call.request(), session);
    }
    return node.transferLeadership(target)
        .handle(
            (ok, f) ->
                f == null
                    ? Reply.OK
                    : Reply.err(
                        "cannot transfer leadership to "
                            + target
                            + ": "
                            + ServerErrors.unwrap(f).getMessage()));
  }

  /**
   * {@code ADD_NODE host:port [id]}: adds the node listening at {@code host:port} (its id defaults
   * to {@code host:port}) as a learner; the leader makes it a voter once it has caught up. Replies
   * {@code +OK} once the addition is committed. Start the new node with {@code --join}, before or
   * after.
   */
  private CompletableFuture<Reply> addNode(CommandCall call, ClientSession session) {
    NodeAddress address;
    NodeId id;
    try {
      address = NodeAddress.parse(call.argString(1));
      id = call.request().size() > 2 ? NodeId.of(call.argString(2)) : NodeId.of(address.toString());
    } catch (IllegalArgumentException e) {
      return done(Reply.err("ADD_NODE takes host:port and an optional node id: " + e.getMessage()));
    }
    RaftStatus raft = node.status().raft();
    if (raft.role() != Role.LEADER) {
      return forwarding.toLeader(raft.leader(), call.request(), session);
    }
    return node.addLearner(id, address)
        .handle(
            (m, f) ->
                f == null
                    ? Reply.simple(
                        "OK added "
                            + id
                            + " at "
                            + address
                            + " as a learner; it becomes a voter once it has caught up")
                    : errors.of(f));
  }

  /**
   * {@code REMOVE_NODE id|host:port}: removes a member; replies {@code +OK} once the removal is
   * committed. Removing the leader hands leadership to another voter.
   */
  private CompletableFuture<Reply> removeNode(CommandCall call, ClientSession session) {
    RaftStatus raft = node.status().raft();
    String arg = call.argString(1);
    Optional<NodeId> byAddress = Optional.empty();
    try {
      byAddress = raft.membership().memberAt(NodeAddress.parse(arg));
    } catch (IllegalArgumentException notAnAddress) {
      // an id, then
    }
    NodeId id;
    try {
      id = byAddress.orElseGet(() -> NodeId.of(arg));
    } catch (IllegalArgumentException e) {
      return done(Reply.err("REMOVE_NODE takes a node id or host:port: " + e.getMessage()));
    }
    if (raft.role() != Role.LEADER) {
      return forwarding.toLeader(raft.leader(), call.request(), session);
    }
    NodeId removed = id;
    return node.removeMember(id)
        .handle((m, f) -> f == null ? Reply.simple("OK removed " + removed) : errors.of(f));
  }

  /**
   * {@code SNAPSHOT}: snapshots this node's state now and compacts its log; replies with the
   * snapshot's index, term and stored size once it is durable, e.g. {@code +OK snapshot at index
   * 1200 term 3 (5210 bytes)}, or {@code (already taken)} if the newest one covered everything
   * applied.
   */
  private CompletableFuture<Reply> snapshot() {
    return node.takeSnapshot()
        .handle(
            (r, f) ->
                f == null
                    ? Reply.simple("OK " + r.describe())
                    : Reply.err("SNAPSHOT failed: " + ServerErrors.unwrap(f).getMessage()));
  }

  private static CompletableFuture<Reply> done(Reply reply) {
    return CompletableFuture.completedFuture(reply);
  }
}
