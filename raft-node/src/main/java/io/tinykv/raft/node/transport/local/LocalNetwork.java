package io.tinykv.raft.node.transport.local;

import io.tinykv.raft.node.transport.Transport;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.RaftMessage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An in-process network for running several nodes in one JVM (embedders' tests, demos). Each node's
 * inbound messages are delivered on its own thread, in send order. Links can be cut to simulate
 * partitions.
 *
 * <p>Thread-safe.
 */
public final class LocalNetwork implements AutoCloseable {

  private final Map<NodeId, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Set<String> cutLinks = ConcurrentHashMap.newKeySet();

  /** The transport of node {@code id} on this network. */
  public Transport transportFor(NodeId id) {
    return endpoints.computeIfAbsent(id, Endpoint::new);
  }

  /** Drops every message from {@code from} to {@code to} until {@link #heal()}. */
  public void cut(NodeId from, NodeId to) {
    cutLinks.add(from + ">" + to);
  }

  /** Cuts every link to and from {@code node}. */
  public void isolate(NodeId node) {
    for (NodeId other : endpoints.keySet()) {
      if (!other.equals(node)) {
        cut(node, other);
        cut(other, node);
      }
    }
  }

  public void heal() {
    cutLinks.clear();
  }

  private void deliver(RaftMessage message) {
    if (cutLinks.contains(message.from() + ">" + message.to())) {
      return;
    }
    Endpoint target = endpoints.get(message.to());
    if (target != null) {
      target.receive(message);
    }
  }

  @Override
  public void close() {
    endpoints.values().forEach(Endpoint::close);
    endpoints.clear();
  }

  private final class Endpoint implements Transport {
    private final NodeId id;
    private final ExecutorService inboundThread;
    private volatile Consumer<RaftMessage> inbound;

    Endpoint(NodeId id) {
      this.id = id;
      this.inboundThread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "local-net-" + id);
                t.setDaemon(true);
                return t;
              });
    }

    @Override
    public void start(Consumer<RaftMessage> consumer) {
      this.inbound = consumer;
    }

    @Override
    public void send(RaftMessage message) {
      if (!message.from().equals(id)) {
        throw new IllegalArgumentException(id + " cannot send a message from " + message.from());
      }
      deliver(message);
    }

    void receive(RaftMessage message) {
      Consumer<RaftMessage> consumer = inbound;
      if (consumer != null) {
        try {
          inboundThread.execute(() -> consumer.accept(message));
        } catch (RejectedExecutionException closed) {
          // The endpoint closed meanwhile: the message is lost, as on a real network.
        }
      }
    }

    @Override
    public void close() {
      inbound = null;
      inboundThread.shutdownNow();
      try {
        inboundThread.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      endpoints.remove(id, this);
    }
  }
}
