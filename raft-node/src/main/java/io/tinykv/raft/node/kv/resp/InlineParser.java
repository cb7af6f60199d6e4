package io.tinykv.raft.node.kv.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command line into arguments the way Redis does ({@code sdssplitargs}), so that
 * what works with {@code redis-cli} and {@code nc} against Redis works here:
 *
 * <ul>
 *   <li>arguments are separated by spaces, tabs, carriage returns, line feeds or NULs;
 *   <li>{@code "double quotes"} accept the escapes {@code \" \\ \n \r \t \b \a} and {@code \xHH};
 *       any other escaped character stands for itself;
 *   <li>{@code 'single quotes'} accept only {@code \'};
 *   <li>a closing quote must be followed by a separator or the end of the line;
 *   <li>a quote in the middle of a word opens a quoted part of the same argument.
 * </ul>
 */
final class InlineParser {

  private final byte[] line;
  private int pos;

  private InlineParser(byte[] line) {
    this.line = line;
  }

  /** The arguments of {@code line} (without its line end); empty for a blank line. */
  static List<byte[]> split(byte[] line) throws ProtocolViolation {
    return new InlineParser(line).splitAll();
  }

  private List<byte[]> splitAll() throws ProtocolViolation {
    List<byte[]> args = new ArrayList<>();
    while (true) {
      while (pos < line.length && isLeadingSpace(line[pos])) {
        pos++;
      }
      if (pos == line.length) {
        return args;
      }
      args.add(nextArgument());
    }
  }

  private byte[] nextArgument() throws ProtocolViolation {
    ByteArrayOutputStream arg = new ByteArrayOutputStream();
    while (pos < line.length) {
      byte c = line[pos];
      if (isSeparator(c)) {
        break;
      }
      pos++;
      if (c == '"') {
        doubleQuoted(arg);
      } else if (c == '\'') {
        singleQuoted(arg);
      } else {
        arg.write(c);
      }
    }
    return arg.toByteArray();
  }

  /** Reads up to and past the closing double quote; {@code pos} is just after the opening one. */
  private void doubleQuoted(ByteArrayOutputStream arg) throws ProtocolViolation {
    while (pos < line.length) {
      byte c = line[pos++];
      if (c == '"') {
        requireSeparatorAfterQuote();
        return;
      }
      if (c != '\\' || pos == line.length) {
        arg.write(c);
      } else if (line[pos] == 'x' && pos + 2 < line.length && isHex(line[pos + 1], line[pos + 2])) {
        arg.write(Character.digit(line[pos + 1], 16) * 16 + Character.digit(line[pos + 2], 16));
        pos += 3;
      } else {
        arg.write(unescape(line[pos++]));
      }
    }
    throw unbalanced();
  }

  /** Reads up to and past the closing single quote; {@code pos} is just after the opening one. */
  private void singleQuoted(ByteArrayOutputStream arg) throws ProtocolViolation {
    while (pos < line.length) {
      byte c = line[pos++];
      if (c == '\'') {
        requireSeparatorAfterQuote();
        return;
      }
      if (c == '\\' && pos < line.length && line[pos] == '\'') {
        arg.write('\'');
        pos++;
      } else {
        arg.write(c);
      }
    }
    throw unbalanced();
  }

  private void requireSeparatorAfterQuote() throws ProtocolViolation {
    if (pos < line.length && !isSeparator(line[pos])) {
      throw unbalanced();
    }
  }

  private static ProtocolViolation unbalanced() {
    return new ProtocolViolation("unbalanced quotes in request");
  }

  private static int unescape(byte c) {
    return switch (c) {
      case 'n' -> '\n';
      case 'r' -> '\r';
      case 't' -> '\t';
      case 'b' -> '\b';
      case 'a' -> 7;
      default -> c;
    };
  }

  private static boolean isHex(byte high, byte low) {
    return Character.digit(high, 16) >= 0 && Character.digit(low, 16) >= 0;
  }

  private static boolean isSeparator(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0;
  }

  /** C's {@code isspace}, which Redis uses to skip the space before an argument. */
  private static boolean isLeadingSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
  }
}
