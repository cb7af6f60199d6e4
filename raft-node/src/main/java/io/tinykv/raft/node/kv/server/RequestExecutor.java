package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.util.concurrent.CompletableFuture;

/**
 * What a client connection asks of its node. {@link KvService} is the implementation; {@link
 * RespServerHandler} depends only on this interface, so the ordering of replies can be tested with
 * futures completed by hand.
 *
 * <p>Threading: every method is called on the connection's event loop. The returned futures may
 * complete on any thread (a node's applier or consensus thread), so whoever writes the reply must
 * hop back to the event loop first.
 */
public interface RequestExecutor {

  /**
   * What a request touches, which decides what it may overlap with on one connection: pipelined
   * requests must behave as if run one after the other, as Redis runs them.
   */
  enum Access {
    /** Nothing replicated (PING, AUTH, an unknown command): answered at once, in order. */
    NONE,
    /** Reads the replicated state: may overlap other reads, never a write. */
    READ,
    /** Changes the replicated state: may overlap other writes, which are proposed in order. */
    WRITE
  }

  /** The state of a newly accepted connection. */
  ClientSession openSession();

  /** The connection of {@code session} closed; replies still pending for it are dropped. */
  void closeSession(ClientSession session);

  /** What {@code request} touches; cheap, and without effect. */
  Access access(RespRequest request);

  /**
   * Serves one decoded request. Errors of every kind (unknown command, no leader, ...) complete the
   * future with an error reply; the future fails only on a bug.
   */
  CompletableFuture<Response> serve(RespRequest request, ClientSession session);
}
