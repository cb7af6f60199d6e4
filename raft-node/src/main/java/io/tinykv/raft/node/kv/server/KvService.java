package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.RaftNode;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.Command;
import io.tinykv.raft.node.kv.CommandCall;
import io.tinykv.raft.node.kv.CommandKind;
import io.tinykv.raft.node.kv.CommandTable;
import io.tinykv.raft.node.kv.KvStateMachine;
import io.tinykv.raft.node.kv.LocalCommands;
import io.tinykv.raft.node.kv.LocalReply;
import io.tinykv.raft.node.kv.Validated;
import io.tinykv.raft.node.kv.WriteParser;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Serves client commands on one node: the key-value store of {@link KvStateMachine} replicated by a
 * {@link RaftNode}, as DESIGN.md's "Client commands" describe.
 *
 * <ul>
 *   <li>WRITE: checked, proposed, answered with the state machine's result after commit and apply;
 *       a follower forwards it to the leader (see {@link WritePath});
 *   <li>READ: a linearizable read (ReadIndex) on this node, leader or follower;
 *   <li>LOCAL: {@link LocalCommands}, without Raft;
 *   <li>ADMIN: the seed's cluster commands (see {@link AdminCommands}).
 * </ul>
 *
 * <p>Errors are replies, never failed futures; their codes are those of {@link ServerErrors}.
 * Thread-safe: one instance serves every connection of the node. Continuations that run when a node
 * future completes (on its applier or consensus thread) only map results to replies; writing them
 * is the connection's business, on its own event loop.
 */
public final class KvService implements RequestExecutor {

  private final RaftNode<Reply> node;
  private final KvStateMachine kv;
  private final LocalCommands local;
  private final ServerErrors errors;
  private final WritePath writes;
  private final AdminCommands admin;
  private final AtomicLong nextClientId = new AtomicLong();
  private final AtomicInteger connectedClients = new AtomicInteger();

  /**
   * @param node the running node that replicates {@code kv}
   * @param kv the state machine {@code node} applies to, read on the node's applier thread
   * @param local the local commands and the client password
   * @param forwarder sends writes from a follower to the leader ({@link LeaderForwarder}, or {@link
   *     Forwarder#DISABLED})
   * @param addresses the client address of each node (the same host and port as its peer address)
   */
  public KvService(
      RaftNode<Reply> node,
      KvStateMachine kv,
      LocalCommands local,
      Forwarder forwarder,
      Function<NodeId, Optional<NodeAddress>> addresses,
      KvServiceOptions options) {
    this.node = node;
    this.kv = kv;
    this.local = local;
    this.errors = new ServerErrors(node.id());
    Forwarding forwarding = new Forwarding(forwarder, errors);
    SubmittedResults results = new SubmittedResults(options.keptSubmitResults());
    this.writes =
        new WritePath(node, new WriteParser(options.limits()), results, forwarding, errors);
    this.admin =
        new AdminCommands(
            node, kv, addresses, options.tickMillis(), writes, results, forwarding, errors);
  }

  @Override
  public ClientSession openSession() {
    connectedClients.incrementAndGet();
    return local.newSession(nextClientId.incrementAndGet());
  }

  @Override
  public void closeSession(ClientSession session) {
    connectedClients.decrementAndGet();
  }

  /** Open client connections, for INFO. */
  public int connectedClients() {
    return connectedClients.get();
  }

  @Override
  public Access access(RespRequest request) {
    Validated<CommandCall> resolved = CommandTable.resolve(request);
    if (!resolved.isValid()) {
      return Access.NONE;
    }
    Command command = resolved.value().command();
    return switch (command.kind()) {
      case LOCAL -> Access.NONE;
      case READ -> Access.READ;
      case WRITE -> Access.WRITE;
      case ADMIN ->
          switch (command) {
            case SUBMIT, TRANSFER_LEADER -> Access.WRITE;
            case ADD_NODE, REMOVE_NODE, SNAPSHOT -> Access.NONE;
            default -> Access.READ;
          };
    };
  }

  @Override
  public CompletableFuture<Response> serve(RespRequest request, ClientSession session) {
    Validated<CommandCall> resolved = CommandTable.resolve(request);
    if (!resolved.isValid()) {
      return CompletableFuture.completedFuture(Response.of(resolved.error()));
    }
    CommandCall call = resolved.value();
    Optional<Reply.ErrorReply> denied = local.checkAuth(call, session);
    if (denied.isPresent()) {
      return CompletableFuture.completedFuture(Response.of(denied.get()));
    }
    if (call.command().kind() == CommandKind.LOCAL) {
      LocalReply answer = local.answer(call, session);
      return CompletableFuture.completedFuture(
          new Response(answer.reply(), answer.closeAfterReply()));
    }
    return execute(call, session).thenApply(Response::of);
  }

  /**
   * Executes a resolved command for {@code session}, without the password check of {@link #serve}.
   * The future completes with the reply, an error reply included.
   */
  public CompletableFuture<Reply> execute(CommandCall call, ClientSession session) {
    try {
      return switch (call.command().kind()) {
        case WRITE -> writes.write(call, session);
        case READ ->
            node.read(() -> kv.read(call)).handle((reply, f) -> f == null ? reply : errors.of(f));
        case LOCAL -> CompletableFuture.completedFuture(local.answer(call, session).reply());
        case ADMIN -> admin.execute(call, session);
      };
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(errors.of(e));
    }
  }
}
