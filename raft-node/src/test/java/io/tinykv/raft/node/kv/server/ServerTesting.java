package io.tinykv.raft.node.kv.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tinykv.raft.node.kv.resp.RespRequest;
import io.tinykv.raft.protocol.NodeAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Shortcuts shared by the server tests. */
final class ServerTesting {

  private ServerTesting() {}

  /** A server on 127.0.0.1 and a free port whose connections {@code setUp} equips. */
  static Channel listen(EventLoopGroup group, Consumer<Channel> setUp) throws InterruptedException {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                setUp.accept(ch);
              }
            })
        .bind("127.0.0.1", 0)
        .sync()
        .channel();
  }

  /** A RESP server on 127.0.0.1 and a free port, serving its connections with {@code executor}. */
  static Channel serve(EventLoopGroup group, RequestExecutor executor) throws InterruptedException {
    return listen(group, ch -> ClientPipeline.install(ch.pipeline(), executor));
  }

  static NodeAddress addressOf(Channel server) {
    return NodeAddress.of("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
  }

  /** The request's arguments joined by spaces: {@code SET k v}. */
  static String text(RespRequest request) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < request.size(); i++) {
      words.add(request.argString(i));
    }
    return String.join(" ", words);
  }
}
