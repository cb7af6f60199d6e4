package io.tinykv.raft.node.transport.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closes a client connection on its first bytes: {@link ClientInitializer#refuseClients()}. */
@Sharable
final class RefuseClientsHandler extends ChannelInboundHandlerAdapter {

  static final RefuseClientsHandler INSTANCE = new RefuseClientsHandler();

  private static final Logger log = LoggerFactory.getLogger(RefuseClientsHandler.class);

  private RefuseClientsHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
    if (ctx.channel().isOpen()) {
      log.info("closing client connection {}: this node serves no clients", ctx.channel());
      ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
  }
}
