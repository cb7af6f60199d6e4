package io.tinykv.raft.node.kv.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.tinykv.raft.node.kv.resp.RedisIntegers;
import io.tinykv.raft.node.kv.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decodes RESP2 replies, what a server sends back: simple strings, errors, integers, bulk strings,
 * null bulks and (nested) arrays. A null array ({@code *-1}) becomes a null bulk, which RESP2
 * clients read as the same nil. Input may arrive split anywhere: a reply is passed on once it is
 * all in, and its parse restarts from its first byte when more arrives, which is cheap for the
 * small replies of forwarded writes.
 *
 * <p>Input that breaks the protocol or a limit throws a {@link CorruptedFrameException}: the
 * connection it came on cannot be trusted any more and should be closed. Not sharable.
 */
final class RespReplyDecoder extends ByteToMessageDecoder {

  /** The longest line: a simple string or error of 64 KiB, its type byte and CRLF. */
  static final int MAX_LINE = 64 * 1024 + 3;

  static final int MAX_DEPTH = 32;

  private final int maxBulkLength;
  private final int maxArrayLength;

  RespReplyDecoder(int maxBulkLength, int maxArrayLength) {
    this.maxBulkLength = maxBulkLength;
    this.maxArrayLength = maxArrayLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int start = in.readerIndex();
    Reply reply = parse(in, 0);
    if (reply == null) {
      in.readerIndex(start);
    } else {
      out.add(reply);
    }
  }

  /** The reply at the reader index, or null if it is not all in yet. */
  private Reply parse(ByteBuf in, int depth) {
    byte[] line = readLine(in);
    if (line == null) {
      return null;
    }
    return switch (line[0]) {
      case '+' -> Reply.simple(text(line));
      case '-' -> {
        if (line.length == 1) {
          throw new CorruptedFrameException("an error reply without a message");
        }
        yield Reply.error(text(line));
      }
      case ':' -> Reply.integer(number(line));
      case '$' -> bulk(in, number(line));
      case '*' -> array(in, number(line), depth);
      default ->
          throw new CorruptedFrameException(
              String.format("unexpected reply type byte 0x%02x", line[0] & 0xff));
    };
  }

  private Reply bulk(ByteBuf in, long length) {
    if (length == -1) {
      return Reply.NULL_BULK;
    }
    if (length < 0 || length > maxBulkLength) {
      throw new CorruptedFrameException("bulk length " + length + " out of range");
    }
    if (in.readableBytes() < length + 2) {
      return null;
    }
    byte[] content = new byte[(int) length];
    in.readBytes(content);
    if (in.readByte() != '\r' || in.readByte() != '\n') {
      throw new CorruptedFrameException("expected CRLF after a bulk string of " + length);
    }
    return Reply.bulk(content);
  }

  private Reply array(ByteBuf in, long count, int depth) {
    if (count == -1) {
      return Reply.NULL_BULK;
    }
    if (count < 0 || count > maxArrayLength) {
      throw new CorruptedFrameException("array length " + count + " out of range");
    }
    if (depth >= MAX_DEPTH) {
      throw new CorruptedFrameException("arrays nested deeper than " + MAX_DEPTH);
    }
    List<Reply> items = new ArrayList<>((int) Math.min(count, 16));
    for (long i = 0; i < count; i++) {
      Reply item = parse(in, depth + 1);
      if (item == null) {
        return null;
      }
      items.add(item);
    }
    return Reply.array(items);
  }

  /**
   * The next line with its type byte and without its CRLF, moving past it; null if it is not all in
   * yet.
   */
  private static byte[] readLine(ByteBuf in) {
    int searchable = Math.min(in.readableBytes(), MAX_LINE);
    int lineFeed = in.indexOf(in.readerIndex(), in.readerIndex() + searchable, (byte) '\n');
    if (lineFeed < 0) {
      if (searchable == MAX_LINE) {
        throw new CorruptedFrameException("a reply line longer than " + MAX_LINE + " bytes");
      }
      return null;
    }
    int end = lineFeed - 1;
    if (end <= in.readerIndex() || in.getByte(end) != '\r') {
      throw new CorruptedFrameException("a reply line without its type or CRLF");
    }
    byte[] line = new byte[end - in.readerIndex()];
    in.readBytes(line);
    in.readerIndex(lineFeed + 1);
    return line;
  }

  private static String text(byte[] line) {
    return new String(line, 1, line.length - 1, StandardCharsets.UTF_8);
  }

  private static long number(byte[] line) {
    OptionalLong n = RedisIntegers.parse(line, 1, line.length);
    if (n.isEmpty()) {
      throw new CorruptedFrameException("not an integer: " + text(line));
    }
    return n.getAsLong();
  }
}
