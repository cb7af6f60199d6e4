package io.tinykv.raft.protocol.codec;

import io.netty.channel.ChannelPipeline;
import io.tinykv.raft.protocol.handshake.NonceSource;

/**
 * Installs the peer protocol on a channel: {@link PeerFrameDecoder}, {@link PeerFrameEncoder} and
 * {@link HandshakeHandler}, in that order, at the end of the pipeline. The caller adds its own
 * handler after them; that handler first sees a {@link PeerAuthenticated} user event and then only
 * {@link io.tinykv.raft.protocol.message.PeerMessage}s from the authenticated peer, and it may
 * write {@link io.tinykv.raft.protocol.message.PeerMessage}s once it has seen the event.
 */
public final class PeerPipeline {

  public static final String FRAME_DECODER = "peer-frame-decoder";
  public static final String FRAME_ENCODER = "peer-frame-encoder";
  public static final String HANDSHAKE = "peer-handshake";

  private PeerPipeline() {}

  /**
   * For a connection this node accepted and recognised as a peer by {@link PeerProtocol#detect}:
   * the bytes already read, magic included, must be passed on to the pipeline after this call.
   */
  public static void addForAcceptedConnection(
      ChannelPipeline pipeline, MessageCodec codec, PeerLinkConfig config, NonceSource nonces) {
    add(pipeline, codec, config, nonces, true);
  }

  /** For a connection this node dialled; the magic and Hello go out as soon as it is active. */
  public static void addForDialledConnection(
      ChannelPipeline pipeline, MessageCodec codec, PeerLinkConfig config, NonceSource nonces) {
    add(pipeline, codec, config, nonces, false);
  }

  private static void add(
      ChannelPipeline pipeline,
      MessageCodec codec,
      PeerLinkConfig config,
      NonceSource nonces,
      boolean accepted) {
    int max = config.maxFrameBytes();
    pipeline.addLast(
        FRAME_DECODER,
        accepted
            ? PeerFrameDecoder.forAcceptedConnection(codec, max)
            : PeerFrameDecoder.forDialledConnection(codec, max));
    pipeline.addLast(FRAME_ENCODER, new PeerFrameEncoder(codec, max));
    pipeline.addLast(
        HANDSHAKE,
        accepted
            ? HandshakeHandler.forAcceptedConnection(
                config.handshake(), nonces, config.handshakeTimeout())
            : HandshakeHandler.forDialledConnection(
                config.handshake(), nonces, config.handshakeTimeout()));
  }
}
