package io.tinykv.raft.node.transport.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.codec.PeerAuthenticated;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.codec.PeerPipeline;
import io.tinykv.raft.protocol.codec.kryo.KryoMessageCodec;
import io.tinykv.raft.protocol.handshake.NonceSource;
import io.tinykv.raft.protocol.message.ClusterMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one cluster request to a node over a fresh, authenticated peer link and returns its answer:
 * how a node that is not yet a member asks a member {@code QUERY_LEADER} and the leader {@code
 * JOIN_CLUSTER}. Each call opens and closes its own connection.
 */
public final class ClusterClient implements AutoCloseable {

  private final PeerLinkConfig link;
  private final EventLoopGroup group;

  public ClusterClient(PeerLinkConfig link) {
    this.link = link;
    this.group =
        new MultiThreadIoEventLoopGroup(
            1,
            new DefaultThreadFactory("tinykv-cluster-client-" + link.handshake().localNode(), true),
            NioIoHandler.newFactory());
  }

  /**
   * Sends {@code request} to {@code target} and completes with the first cluster message it
   * answers, or fails: connection refused, wrong secret (the handshake fails), or no answer within
   * {@code timeout}.
   */
  public CompletableFuture<ClusterMessage> call(
      NodeAddress target, ClusterMessage request, Duration timeout) {
    CompletableFuture<ClusterMessage> answer = new CompletableFuture<>();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    PeerPipeline.addForDialledConnection(
                        ch.pipeline(), new KryoMessageCodec(), link, NonceSource.secure());
                    ch.pipeline().addLast(new Exchange(request, answer, target));
                  }
                });
    bootstrap
        .connect(target.host(), target.port())
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    answer.completeExceptionally(
                        new IOException("cannot reach " + target + ": " + f.cause(), f.cause()));
                    return;
                  }
                  Channel channel = f.channel();
                  var unused =
                      channel
                          .eventLoop()
                          .schedule(
                              () ->
                                  answer.completeExceptionally(
                                      new TimeoutException(
                                          target
                                              + " did not answer "
                                              + request
                                              + " within "
                                              + timeout.toMillis()
                                              + " ms")),
                              timeout.toMillis(),
                              TimeUnit.MILLISECONDS);
                  var unusedClose = answer.whenComplete((m, e) -> closeQuietly(channel));
                });
    return answer;
  }

  private static void closeQuietly(Channel channel) {
    var unused = channel.close();
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }

  /** Sends the request once the link is authenticated, and takes the first cluster answer. */
  private static final class Exchange extends ChannelInboundHandlerAdapter {
    private final ClusterMessage request;
    private final CompletableFuture<ClusterMessage> answer;
    private final NodeAddress target;

    Exchange(ClusterMessage request, CompletableFuture<ClusterMessage> answer, NodeAddress target) {
      this.request = request;
      this.answer = answer;
      this.target = target;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof PeerAuthenticated) {
        ctx.writeAndFlush(request).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
      } else {
        ctx.fireUserEventTriggered(event);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ClusterMessage m) {
        answer.complete(m);
      } else {
        ReferenceCountUtil.release(msg); // Raft traffic is not for us
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      answer.completeExceptionally(
          new IOException(
              target
                  + " closed the connection before answering (a wrong cluster secret or cluster"
                  + " id is refused this way; see its raft.log)"));
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      answer.completeExceptionally(cause);
      closeQuietly(ctx.channel());
    }
  }
}
