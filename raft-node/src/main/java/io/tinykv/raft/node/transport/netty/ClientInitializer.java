package io.tinykv.raft.node.transport.netty;

import io.netty.channel.ChannelPipeline;

/**
 * Sets up a client connection on the shared port: the hook through which the RESP server plugs in.
 *
 * <p>{@link #initialize} is called on the connection's event loop once its first bytes show that it
 * is not a peer link. It adds its handlers with {@link ChannelPipeline#addLast}. Right after it
 * returns, the handlers see {@code channelActive} (so per-connection state can be set up there as
 * usual), then every byte the connection has sent so far, as a {@code ByteBuf}, then whatever
 * arrives later: the client handlers see the stream from its first byte. If {@code initialize}
 * throws, the connection is closed.
 */
@FunctionalInterface
public interface ClientInitializer {

  void initialize(ChannelPipeline pipeline);

  /** For a node without a client server (tests, embedders): client connections are closed. */
  static ClientInitializer refuseClients() {
    return pipeline -> pipeline.addLast(RefuseClientsHandler.INSTANCE);
  }
}
