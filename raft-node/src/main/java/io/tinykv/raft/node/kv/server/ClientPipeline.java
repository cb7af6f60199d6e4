package io.tinykv.raft.node.kv.server;

import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.tinykv.raft.node.kv.resp.RespDecoder;
import io.tinykv.raft.node.kv.resp.RespEncoder;
import io.tinykv.raft.node.kv.resp.RespLimits;

/**
 * Sets up a client (RESP) connection: {@link RespEncoder}, {@link RespDecoder} and a {@link
 * RespServerHandler} serving it through a {@link RequestExecutor}, normally the node's {@link
 * KvService}. The Netty server calls it for every connection that is not a peer link.
 */
public final class ClientPipeline {

  /** Requests one connection may have waiting before it stops reading. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

  private static final RespEncoder ENCODER = new RespEncoder();

  private ClientPipeline() {}

  /** With {@link RespLimits#DEFAULTS} and {@link #DEFAULT_MAX_IN_FLIGHT}. */
  public static void install(ChannelPipeline pipeline, RequestExecutor executor) {
    install(pipeline, executor, RespLimits.DEFAULTS, DEFAULT_MAX_IN_FLIGHT);
  }

  /** Appends the client handlers to {@code pipeline}. */
  public static void install(
      ChannelPipeline pipeline, RequestExecutor executor, RespLimits limits, int maxInFlight) {
    // A client that half-closes after its last request (echo ... | nc) still gets its replies.
    pipeline.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    pipeline
        .addLast("resp-encoder", ENCODER)
        .addLast("resp-decoder", new RespDecoder(limits))
        .addLast("resp-server", new RespServerHandler(executor, maxInFlight));
  }
}
