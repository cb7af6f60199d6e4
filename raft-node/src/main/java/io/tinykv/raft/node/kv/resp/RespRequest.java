package io.tinykv.raft.node.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One client request: a non-empty list of binary-safe arguments, the first being the command name.
 * Immutable: the arguments are copied in and handed out as copies.
 */
public final class RespRequest {

  /** Longer arguments are never command names or options. */
  public static final int LONGEST_KEYWORD = 32;

  private final byte[][] args;

  private RespRequest(byte[][] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("a request has at least the command name");
    }
    this.args = args;
  }

  /** A request of copies of {@code args}. */
  public static RespRequest of(byte[]... args) {
    byte[][] copy = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      copy[i] = args[i].clone();
    }
    return new RespRequest(copy);
  }

  /** A request of the UTF-8 bytes of {@code args}: {@code RespRequest.of("SET", "k", "v")}. */
  public static RespRequest of(String... args) {
    byte[][] bytes = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return new RespRequest(bytes);
  }

  /** Takes ownership of the arrays in {@code args}: the decoder's fresh buffers. */
  static RespRequest owning(List<byte[]> args) {
    return new RespRequest(args.toArray(new byte[0][]));
  }

  /** The number of arguments, counting the command name. */
  public int size() {
    return args.length;
  }

  /** A copy of argument {@code i}; argument 0 is the command name. */
  public byte[] arg(int i) {
    return args[i].clone();
  }

  /** The length of argument {@code i} in bytes, without copying it. */
  public int argLength(int i) {
    return args[i].length;
  }

  /** Argument {@code i} decoded as UTF-8 (malformed input replaced). */
  public String argString(int i) {
    return new String(args[i], StandardCharsets.UTF_8);
  }

  /**
   * At most the first {@code maxBytes} bytes of argument {@code i} as UTF-8 text, for quoting a
   * client's argument in an error without decoding all of a large one.
   */
  public String argPreview(int i, int maxBytes) {
    return new String(args[i], 0, Math.min(args[i].length, maxBytes), StandardCharsets.UTF_8);
  }

  /** The command name as a {@link #keyword}. */
  public String commandName() {
    return keyword(0);
  }

  /**
   * Argument {@code i} upper-cased in ASCII only, the way Redis compares command names and options
   * (so {@code "ſet"} is not {@code SET}); empty if longer than {@value #LONGEST_KEYWORD} bytes,
   * which no keyword is.
   */
  public String keyword(int i) {
    byte[] arg = args[i];
    if (arg.length > LONGEST_KEYWORD) {
      return "";
    }
    char[] chars = new char[arg.length];
    for (int j = 0; j < arg.length; j++) {
      int c = arg[j] & 0xff;
      chars[j] = (char) (c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
    }
    return new String(chars);
  }

  /** Arguments {@code from} to the end as a new request, as {@code SUBMIT} wraps one. */
  public RespRequest tail(int from) {
    if (from <= 0 || from >= args.length) {
      throw new IllegalArgumentException("no request left after argument " + from);
    }
    return new RespRequest(Arrays.copyOfRange(args, from, args.length));
  }

  /** Copies of all arguments, the command name first. */
  public List<byte[]> args() {
    List<byte[]> copy = new ArrayList<>(args.length);
    for (byte[] arg : args) {
      copy.add(arg.clone());
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RespRequest other && Arrays.deepEquals(args, other.args);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(args);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("RespRequest[");
    for (int i = 0; i < args.length; i++) {
      sb.append(i == 0 ? "" : " ").append(argString(i));
    }
    return sb.append(']').toString();
  }
}
