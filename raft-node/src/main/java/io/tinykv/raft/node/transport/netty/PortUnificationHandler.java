package io.tinykv.raft.node.transport.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.tinykv.raft.protocol.codec.PeerProtocol;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every accepted connection: tells a peer link from a client by the first
 * bytes ({@link PeerProtocol#detect}), installs the matching pipeline after itself and removes
 * itself. The new handlers then see {@code channelActive}, which they missed, and the bytes read so
 * far: removing a {@link ByteToMessageDecoder} fires the bytes it has accumulated to the next
 * handler, so the chosen pipeline sees the connection from its first byte (the peer pipeline
 * consumes the magic itself).
 *
 * <p>Until enough bytes have arrived to decide (a client may send one byte at a time, and a prefix
 * of the magic could still be either), it only waits. A client that never sends anything is never
 * classified: RESP clients speak first, so that costs nothing but an idle socket.
 *
 * <p>One instance per connection.
 */
final class PortUnificationHandler extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(PortUnificationHandler.class);

  private final Consumer<ChannelPipeline> peerPipeline;
  private final ClientInitializer clientPipeline;
  private boolean failed; // the chosen pipeline could not be set up; the channel is closing

  /**
   * @param peerPipeline installs the peer protocol and the inbound peer handler
   * @param clientPipeline installs the client protocol
   */
  PortUnificationHandler(Consumer<ChannelPipeline> peerPipeline, ClientInitializer clientPipeline) {
    this.peerPipeline = peerPipeline;
    this.clientPipeline = clientPipeline;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    switch (PeerProtocol.detect(in)) {
      case NEED_MORE_BYTES -> {
        // wait for the next read
      }
      case PEER -> handOver(ctx, peerPipeline, "peer");
      case NOT_PEER -> handOver(ctx, clientPipeline::initialize, "client");
    }
  }

  private void handOver(ChannelHandlerContext ctx, Consumer<ChannelPipeline> install, String kind) {
    ChannelPipeline pipeline = ctx.pipeline();
    try {
      install.accept(pipeline);
    } catch (RuntimeException e) {
      log.warn("closing {}: setting up its {} pipeline failed", ctx.channel(), kind, e);
      failed = true;
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      return;
    }
    log.debug("{} is a {} connection", ctx.channel(), kind);
    // The new handlers missed channelActive (it passed before they were added); many handlers
    // set up per-connection state there, so they get it now, before the first bytes.
    ctx.fireChannelActive();
    pipeline.remove(this);
  }
}
