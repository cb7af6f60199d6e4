package io.tinykv.raft.node.kv.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.tinykv.raft.node.kv.ClientSession;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespProtocolError;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one client connection: hands each decoded request to a {@link RequestExecutor} and writes
 * the replies strictly in request order, although their futures complete in any order and on any
 * thread.
 *
 * <p>Pipelined requests behave as if run one after the other, as Redis runs them: requests start in
 * arrival order, and a request starts only when it cannot overlap anything running that it could
 * observe ({@link RequestExecutor.Access}): reads run together, writes run together (the node
 * proposes them in order), but a read waits for the writes before it and a write for the reads
 * before it. So {@code SET k v} then {@code GET k} in one pipeline reads {@code v}.
 *
 * <p>Each request takes a slot in a queue. A completed future fills its slot on this connection's
 * event loop (never touching this handler from a node's applier or consensus thread), and the
 * filled slots at the head are written and flushed. At most {@code maxInFlight} requests wait per
 * connection: above it, or while the socket cannot take more output, the connection stops reading
 * (auto-read off) and resumes once half of them are answered. The bound is soft by what one read
 * held: requests already decoded are still served.
 *
 * <p>A {@link RespProtocolError} is answered after the replies before it and closes the connection,
 * as does QUIT after its reply; requests after either are ignored. Not sharable.
 */
public final class RespServerHandler extends ChannelInboundHandlerAdapter {

  private static final Logger LOG = LoggerFactory.getLogger(RespServerHandler.class);

  private final RequestExecutor executor;
  private final int maxInFlight;

  /** Requests in arrival order, answered or not; the head is the next reply to write. */
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();

  /** The requests not started yet, in arrival order: a suffix of {@link #slots}. */
  private final ArrayDeque<Slot> waiting = new ArrayDeque<>();

  /** Requests started and not answered, by access. */
  private int runningReads;

  private int runningWrites;

  private ClientSession session;

  /** A reply that closes the connection is due (QUIT, a protocol error): read nothing more. */
  private boolean inputClosed;

  /**
   * The client shut down its sending side (as {@code echo ... | nc} does): answer what it sent,
   * then close, as redis-server does.
   */
  private boolean clientFinished;

  /** One request's place in the reply order; {@code response} is null until it is answered. */
  private static final class Slot {
    final RespRequest request;
    final RequestExecutor.Access access;
    Response response;

    Slot(RespRequest request, RequestExecutor.Access access) {
      this.request = request;
      this.access = access;
    }
  }

  public RespServerHandler(RequestExecutor executor, int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    this.executor = executor;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    session = executor.openSession();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (session != null) {
      executor.closeSession(session);
    }
    slots.clear();
    waiting.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (inputClosed) {
      return;
    }
    if (msg instanceof RespProtocolError error) {
      // Answered after the requests before it, which still run.
      Slot slot = new Slot(null, RequestExecutor.Access.NONE);
      slot.response = new Response(error.reply(), true);
      slots.add(slot);
      inputClosed = true;
      drain(ctx);
    } else if (msg instanceof RespRequest request) {
      Slot slot = new Slot(request, executor.access(request));
      slots.add(slot);
      waiting.add(slot);
      startWaiting(ctx);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      clientFinished = true;
      drain(ctx);
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** Starts the waiting requests, in order, while the first of them may start. */
  private void startWaiting(ChannelHandlerContext ctx) {
    while (!waiting.isEmpty() && mayStart(waiting.peek().access)) {
      start(ctx, waiting.poll());
    }
    drain(ctx);
  }

  private boolean mayStart(RequestExecutor.Access access) {
    return switch (access) {
      case NONE -> true;
      case READ -> runningWrites == 0;
      case WRITE -> runningReads == 0;
    };
  }

  private void start(ChannelHandlerContext ctx, Slot slot) {
    count(slot.access, 1);
    CompletableFuture<Response> future;
    try {
      future = executor.serve(slot.request, session);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    if (future.isDone()) {
      // Answered at once (a local command): no hop needed, and QUIT is known to close now.
      answer(slot, future.handle(RespServerHandler::orInternalError).join());
    } else {
      // Completed on a node's thread: the slot is filled on this connection's event loop.
      CompletableFuture<Response> unused =
          future.whenComplete(
              (response, failure) -> onLoop(ctx, slot, orInternalError(response, failure)));
    }
  }

  private void onLoop(ChannelHandlerContext ctx, Slot slot, Response response) {
    Runnable answerAndGoOn =
        () -> {
          answer(slot, response);
          startWaiting(ctx);
        };
    if (ctx.executor().inEventLoop()) {
      answerAndGoOn.run();
      return;
    }
    try {
      ctx.executor().execute(answerAndGoOn);
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down, and the connection with it: nobody to answer.
    }
  }

  private void answer(Slot slot, Response response) {
    slot.response = response;
    count(slot.access, -1);
    if (response.closeAfterReply()) {
      // QUIT: whatever was sent after it is ignored (nothing after it has started).
      inputClosed = true;
      waiting.clear();
    }
  }

  private void count(RequestExecutor.Access access, int delta) {
    switch (access) {
      case READ -> runningReads += delta;
      case WRITE -> runningWrites += delta;
      case NONE -> {}
    }
  }

  /** Writes the answered replies at the head of the queue, in order. */
  private void drain(ChannelHandlerContext ctx) {
    boolean wrote = false;
    while (!slots.isEmpty() && slots.peek().response != null && ctx.channel().isActive()) {
      Response response = slots.poll().response;
      wrote = true;
      if (response.closeAfterReply()) {
        slots.clear();
        waiting.clear();
        ctx.writeAndFlush(response.reply()).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      ctx.write(response.reply()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }
    if (clientFinished && slots.isEmpty()) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (wrote) {
      ctx.flush();
    }
    updateAutoRead(ctx);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    updateAutoRead(ctx);
    ctx.fireChannelWritabilityChanged();
  }

  private void updateAutoRead(ChannelHandlerContext ctx) {
    ChannelConfig config = ctx.channel().config();
    boolean writable = ctx.channel().isWritable();
    if (config.isAutoRead() && (slots.size() >= maxInFlight || !writable)) {
      config.setAutoRead(false);
    } else if (!config.isAutoRead()
        && slots.size() <= maxInFlight / 2
        && writable
        && !inputClosed) {
      config.setAutoRead(true);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("client connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
    }
    ctx.close().addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  /** The response, or for a failure (a bug: errors are replies) an error reply that says so. */
  private static Response orInternalError(Response response, Throwable failure) {
    if (failure == null) {
      return response;
    }
    LOG.error("a request failed unexpectedly", failure);
    return Response.of(
        Reply.err(
            "internal error: "
                + ServerErrors.unwrap(failure)
                + "; the outcome of a write is unknown"));
  }
}
