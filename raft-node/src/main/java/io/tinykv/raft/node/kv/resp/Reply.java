package io.tinykv.raft.node.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One RESP2 reply. Replies are immutable values, so a reply can be computed on one thread (the
 * applier), kept for a later {@code RESULT <index>}, and written on another (a Netty event loop).
 *
 * <p>Simple strings and errors are single lines: a carriage return or line feed in their text would
 * end the frame early, so the factories replace both with spaces, as Redis does for error text.
 */
public sealed interface Reply
    permits Reply.SimpleString,
        Reply.ErrorReply,
        Reply.IntegerReply,
        Reply.BulkString,
        Reply.NullBulkString,
        Reply.ArrayReply {

  /** {@code +OK}. */
  SimpleString OK = new SimpleString("OK");

  /** {@code $-1}: the absent value of GET and MGET. */
  NullBulkString NULL_BULK = new NullBulkString();

  /** {@code *0}. */
  ArrayReply EMPTY_ARRAY = new ArrayReply(List.of());

  static SimpleString simple(String text) {
    return new SimpleString(text);
  }

  /**
   * An error with its full text, starting with the error code: {@code error("NOAUTH Authentication
   * required.")}.
   */
  static ErrorReply error(String codeAndMessage) {
    return new ErrorReply(codeAndMessage);
  }

  /** A generic {@code -ERR} error: {@code err("syntax error")} is {@code -ERR syntax error}. */
  static ErrorReply err(String message) {
    return new ErrorReply("ERR " + message);
  }

  static IntegerReply integer(long value) {
    return new IntegerReply(value);
  }

  /** A bulk string holding a copy of {@code content}. */
  static BulkString bulk(byte[] content) {
    return new BulkString(content.clone());
  }

  /** A bulk string holding the UTF-8 bytes of {@code text}. */
  static BulkString bulk(String text) {
    return new BulkString(text.getBytes(StandardCharsets.UTF_8));
  }

  static ArrayReply array(List<? extends Reply> items) {
    return new ArrayReply(List.copyOf(items));
  }

  static ArrayReply array(Reply... items) {
    return new ArrayReply(List.of(items));
  }

  /** {@code +text}: a status line such as {@code +OK} or {@code +PONG}. */
  record SimpleString(String text) implements Reply {
    public SimpleString {
      text = singleLine(text);
    }
  }

  /**
   * {@code -message}: the text starts with an upper-case error code ({@code ERR}, {@code NOAUTH},
   * {@code NOLEADER}, ...) that clients use to classify the error.
   */
  record ErrorReply(String message) implements Reply {
    public ErrorReply {
      message = singleLine(message);
      if (message.isEmpty()) {
        throw new IllegalArgumentException("an error reply needs a message");
      }
    }
  }

  /** {@code :value}. */
  record IntegerReply(long value) implements Reply {}

  /** {@code $length} followed by binary-safe content. */
  final class BulkString implements Reply {
    private final byte[] content;

    private BulkString(byte[] content) {
      this.content = content;
    }

    /** A copy of the content. */
    public byte[] content() {
      return content.clone();
    }

    public int length() {
      return content.length;
    }

    /** The content decoded as UTF-8 (malformed input replaced), for tests and diagnostics. */
    public String utf8() {
      return new String(content, StandardCharsets.UTF_8);
    }

    byte[] contentUnsafe() {
      return content;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BulkString other && Arrays.equals(content, other.content);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(content);
    }

    @Override
    public String toString() {
      return "BulkString[" + utf8() + "]";
    }
  }

  /** {@code $-1}: the RESP2 null. Use {@link #NULL_BULK}. */
  record NullBulkString() implements Reply {}

  /** {@code *count} followed by the items. */
  record ArrayReply(List<Reply> items) implements Reply {
    public ArrayReply {
      items = List.copyOf(items);
    }
  }

  private static String singleLine(String text) {
    return text.indexOf('\r') < 0 && text.indexOf('\n') < 0
        ? text
        : text.replace('\r', ' ').replace('\n', ' ');
  }
}
