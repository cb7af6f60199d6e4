package io.tinykv.raft.node.transport.netty;

import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.ClusterMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Answers the cluster requests ({@code QUERY_LEADER}, {@code JOIN_CLUSTER}, {@code CLUSTER_CONFIG})
 * that arrive on authenticated peer links; the answer goes back on the same link.
 *
 * <p>Called on an I/O thread: must not block; complete the future later instead.
 */
@FunctionalInterface
public interface ClusterRequestHandler {

  /**
   * Answers one request.
   *
   * @param peer the authenticated sender (it proved knowledge of the cluster secret)
   * @param request the request
   * @return the response, or a future failed if there is none to give (the link is then closed)
   */
  CompletableFuture<ClusterMessage> handle(NodeId peer, ClusterMessage request);
}
