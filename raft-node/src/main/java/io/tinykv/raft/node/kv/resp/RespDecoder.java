package io.tinykv.raft.node.kv.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Decodes client bytes into {@link RespRequest}s, in order, from both request forms Redis accepts:
 * multibulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}, what client libraries send) and inline ({@code
 * GET k\r\n} or {@code GET k\n}, what {@code nc} and telnet users type; see {@link InlineParser}).
 * Input may arrive split anywhere; nothing is passed on until a whole request is in.
 *
 * <p>On input that breaks the protocol or a {@link RespLimits} limit, the decoder passes on one
 * {@link RespProtocolError} after the requests that came before it and discards everything that
 * follows. Blank inline lines and empty multibulks ({@code *0}, {@code *-1}) are skipped, as Redis
 * does.
 *
 * <p>Not sharable: one instance per connection, used on that connection's event loop.
 */
public final class RespDecoder extends ByteToMessageDecoder {

  /** The longest {@code *count} or {@code $length} line: a sign and 19 digits, and then some. */
  private static final int MAX_HEADER_LINE = 32;

  /** What {@link #readHeader} answers while its line is not all in. */
  private static final long INCOMPLETE = Long.MIN_VALUE;

  private final RespLimits limits;

  /** The arguments of the multibulk request being read; null between requests. */
  private List<byte[]> args;

  /** The argument count the current multibulk announced; meaningful while {@code args != null}. */
  private int expectedArgs;

  /** The announced length of the bulk being read, or -1 while its {@code $} line is still due. */
  private int bulkLength = -1;

  /** The bulk bytes announced so far by the current multibulk, against maxRequestBytes. */
  private long requestBytes;

  /**
   * How many readable bytes were already searched for a line feed without finding one, so that a
   * line arriving a byte at a time is scanned once, not once per byte.
   */
  private int scanned;

  /** Set after a violation: the rest of the input is discarded. */
  private boolean failed;

  public RespDecoder(RespLimits limits) {
    this.limits = limits;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      RespRequest request;
      if (args != null) {
        request = readBulks(in);
      } else if (in.getByte(in.readerIndex()) == '*') {
        request = readMultibulk(in);
      } else {
        request = readInline(in);
      }
      if (request != null) {
        out.add(request);
      }
    } catch (ProtocolViolation violation) {
      failed = true;
      args = null;
      in.skipBytes(in.readableBytes());
      out.add(new RespProtocolError(violation.getMessage()));
    }
  }

  private RespRequest readInline(ByteBuf in) throws ProtocolViolation {
    // The line may be maxInlineLength bytes and a CR before its LF.
    int lineFeed = findLineFeed(in, limits.maxInlineLength() + 2);
    if (lineFeed < 0) {
      if (in.readableBytes() >= limits.maxInlineLength() + 2) {
        throw tooBigInline();
      }
      return null;
    }
    int end =
        lineFeed > in.readerIndex() && in.getByte(lineFeed - 1) == '\r' ? lineFeed - 1 : lineFeed;
    if (end - in.readerIndex() > limits.maxInlineLength()) {
      throw tooBigInline();
    }
    byte[] line = new byte[end - in.readerIndex()];
    in.readBytes(line);
    in.readerIndex(lineFeed + 1);
    List<byte[]> inline = InlineParser.split(line);
    if (inline.size() > limits.maxArguments()) {
      throw tooManyArguments(inline.size());
    }
    return inline.isEmpty() ? null : RespRequest.owning(inline);
  }

  private RespRequest readMultibulk(ByteBuf in) throws ProtocolViolation {
    long n = readHeader(in, "multibulk");
    if (n == INCOMPLETE || n <= 0) {
      return null;
    }
    if (n > limits.maxArguments()) {
      throw tooManyArguments(n);
    }
    expectedArgs = (int) n;
    args = new ArrayList<>(Math.min(expectedArgs, 16));
    requestBytes = 0;
    return readBulks(in);
  }

  private RespRequest readBulks(ByteBuf in) throws ProtocolViolation {
    while (args.size() < expectedArgs) {
      if (bulkLength < 0 && !readBulkHeader(in)) {
        return null;
      }
      if (in.readableBytes() < bulkLength + 2) {
        return null;
      }
      byte[] arg = new byte[bulkLength];
      in.readBytes(arg);
      if (in.readByte() != '\r' || in.readByte() != '\n') {
        throw new ProtocolViolation(
            "expected CRLF after a bulk string of " + bulkLength + " bytes");
      }
      args.add(arg);
      bulkLength = -1;
    }
    RespRequest request = RespRequest.owning(args);
    args = null;
    return request;
  }

  /** Reads a {@code $length} line into {@link #bulkLength}; false if it is not all in yet. */
  private boolean readBulkHeader(ByteBuf in) throws ProtocolViolation {
    if (!in.isReadable()) {
      return false;
    }
    byte first = in.getByte(in.readerIndex());
    if (first != '$') {
      throw new ProtocolViolation("expected '$', got '" + printable(first) + "'");
    }
    long n = readHeader(in, "bulk");
    if (n == INCOMPLETE) {
      return false;
    }
    if (n < 0) {
      throw new ProtocolViolation("invalid bulk length");
    }
    if (n > limits.maxBulkLength()) {
      throw new ProtocolViolation(
          "bulk length " + n + " exceeds the limit of " + limits.maxBulkLength() + " bytes");
    }
    requestBytes += n;
    if (requestBytes > limits.maxRequestBytes()) {
      throw new ProtocolViolation(
          "request exceeds the limit of " + limits.maxRequestBytes() + " bytes");
    }
    bulkLength = (int) n;
    return true;
  }

  /**
   * Reads a {@code *count} or {@code $length} line, whose type byte is known to be there: its
   * number (any negative number as -1), or {@link #INCOMPLETE} if the line is not all in yet.
   */
  private long readHeader(ByteBuf in, String kind) throws ProtocolViolation {
    int lineFeed = findLineFeed(in, MAX_HEADER_LINE);
    if (lineFeed < 0) {
      if (in.readableBytes() >= MAX_HEADER_LINE) {
        throw new ProtocolViolation("invalid " + kind + " length");
      }
      return INCOMPLETE;
    }
    int start = in.readerIndex() + 1;
    if (lineFeed == start || in.getByte(lineFeed - 1) != '\r') {
      throw new ProtocolViolation("expected CRLF after the " + kind + " length");
    }
    byte[] digits = new byte[lineFeed - 1 - start];
    in.getBytes(start, digits);
    in.readerIndex(lineFeed + 1);
    OptionalLong number = RedisIntegers.parse(digits);
    if (number.isEmpty() || number.getAsLong() > Integer.MAX_VALUE) {
      throw new ProtocolViolation("invalid " + kind + " length");
    }
    return Math.max(number.getAsLong(), -1);
  }

  /**
   * The index of the first line feed within the first {@code window} readable bytes, or -1.
   * Remembers how far it looked so that the next call, with more input, resumes there.
   */
  private int findLineFeed(ByteBuf in, int window) {
    int searchable = Math.min(in.readableBytes(), window);
    if (scanned >= searchable) {
      return -1;
    }
    int found = in.indexOf(in.readerIndex() + scanned, in.readerIndex() + searchable, (byte) '\n');
    scanned = found < 0 ? searchable : 0;
    return found;
  }

  private ProtocolViolation tooBigInline() {
    return new ProtocolViolation(
        "too big inline request (the limit is " + limits.maxInlineLength() + " bytes)");
  }

  private ProtocolViolation tooManyArguments(long n) {
    return new ProtocolViolation(
        "request has " + n + " arguments, the limit is " + limits.maxArguments());
  }

  private static String printable(byte b) {
    return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
  }
}
