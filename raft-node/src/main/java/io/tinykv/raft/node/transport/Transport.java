package io.tinykv.raft.node.transport;

import io.tinykv.raft.protocol.message.RaftMessage;
import java.util.function.Consumer;

/**
 * Carries Raft messages between peers. Delivery is best effort: messages may be lost, delayed,
 * duplicated or reordered, and Raft tolerates all of that; a transport must never corrupt or
 * misaddress one.
 *
 * <p>Threading: {@link #send} is called from the node's consensus and log-writer threads and must
 * not block (queue or drop instead). Inbound messages are handed to the consumer given to {@link
 * #start} on the transport's own threads, concurrently; the consumer must be thread-safe and quick.
 */
public interface Transport extends AutoCloseable {

  /** Starts accepting and delivering inbound messages to {@code inbound}. */
  void start(Consumer<RaftMessage> inbound);

  /** Sends a message to {@code message.to()}, or drops it if that peer is unreachable now. */
  void send(RaftMessage message);

  @Override
  void close();
}
