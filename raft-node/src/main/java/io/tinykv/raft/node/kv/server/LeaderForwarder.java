package io.tinykv.raft.node.kv.server;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Forwards requests from a follower to the leader over one pipelined RESP connection to the
 * leader's client port (the same host and port as its peer address).
 *
 * <p>Loop protection: the connection first sends {@code CLIENT SETNAME} {@value #SESSION_NAME}
 * (after {@code AUTH} if a client password is set), and a node never forwards a request from a
 * session of that name, so a request crosses at most one hop even while nodes disagree about who
 * leads. The leader serves that connection's requests in order, so the name is set before the first
 * forwarded request is served.
 *
 * <p>At most once: a request is written once and never resent. When the leader changes, new
 * requests go to a new connection and the old one closes once its replies are in. Thread-safe: all
 * state is confined to one event loop of the given group, which must be an NIO group.
 */
public final class LeaderForwarder implements Forwarder, AutoCloseable {

  /** The client name of forwarding connections; requests on them are never forwarded again. */
  public static final String SESSION_NAME = "tinykv-forwarder";

  /** A TCP connect that takes longer fails the requests waiting for it (retryable). */
  public static final int DEFAULT_CONNECT_TIMEOUT_MILLIS = 3_000;

  private final EventLoop loop;
  private final Function<NodeId, Optional<NodeAddress>> addresses;
  private final List<RespRequest> handshake;
  private final int connectTimeoutMillis;

  /** The link to the latest leader asked for; null before the first request. Loop-confined. */
  private ForwardLink current;

  private boolean closed;

  /**
   * @param group an NIO event loop group (the server's own, or a dedicated one); not shut down by
   *     {@link #close}
   * @param addresses the client address of each node
   * @param password the cluster's client password, sent with AUTH; empty if none is set
   */
  public LeaderForwarder(
      EventLoopGroup group,
      Function<NodeId, Optional<NodeAddress>> addresses,
      Optional<String> password,
      int connectTimeoutMillis) {
    if (connectTimeoutMillis < 1) {
      throw new IllegalArgumentException(
          "connectTimeoutMillis must be at least 1, got " + connectTimeoutMillis);
    }
    this.loop = group.next();
    this.addresses = addresses;
    this.connectTimeoutMillis = connectTimeoutMillis;
    List<RespRequest> hello = new ArrayList<>();
    password.ifPresent(p -> hello.add(RespRequest.of("AUTH", p)));
    hello.add(RespRequest.of("CLIENT", "SETNAME", SESSION_NAME));
    this.handshake = List.copyOf(hello);
  }

  @Override
  public CompletableFuture<Reply> forward(NodeId leader, RespRequest request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    try {
      loop.execute(() -> send(leader, request, reply));
    } catch (RejectedExecutionException e) {
      reply.complete(notSent(leader, "the forwarder's event loop is shut down"));
    }
    return reply;
  }

  private void send(NodeId leader, RespRequest request, CompletableFuture<Reply> reply) {
    if (closed) {
      reply.complete(notSent(leader, "the forwarder is closed"));
      return;
    }
    if (current == null || current.isDead() || !current.target().equals(leader)) {
      if (current != null) {
        current.retire();
        current = null;
      }
      Optional<NodeAddress> address = addresses.apply(leader);
      if (address.isEmpty()) {
        reply.complete(notSent(leader, "its address is not known to this node"));
        return;
      }
      current = ForwardLink.open(loop, leader, address.get(), handshake, connectTimeoutMillis);
    }
    current.send(request, reply);
  }

  /** Closes the connection; requests forwarded but unanswered complete as "outcome unknown". */
  @Override
  public void close() {
    try {
      loop.execute(
          () -> {
            closed = true;
            if (current != null) {
              current.close();
              current = null;
            }
          });
    } catch (RejectedExecutionException e) {
      // The loop is gone, and its connections with it.
    }
  }

  /** The retryable error of a request that never reached the leader. */
  static Reply.ErrorReply notSent(NodeId leader, String why) {
    return Reply.error(
        "NOLEADER could not forward the request to the leader "
            + leader
            + " ("
            + why
            + "); it was not sent, so it was not applied: retry");
  }
}
