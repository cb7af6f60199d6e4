package io.tinykv.raft.protocol;

import java.util.Objects;

/**
 * Where a node listens for peers and clients: a host name or IP literal and a TCP port. The host is
 * kept as given (no resolution), so an address read from configuration is sent to peers verbatim.
 *
 * <p>Invariants: the host has 1..{@value #MAX_HOST_LENGTH} characters without whitespace, control
 * characters or brackets; the port is 1..65535 (an advertised address cannot use port 0).
 */
public record NodeAddress(String host, int port) {

  /** Longest host accepted: a DNS name (253) or an IPv6 literal fit. */
  public static final int MAX_HOST_LENGTH = 255;

  public NodeAddress {
    Identifiers.requirePrintable(host, "host", MAX_HOST_LENGTH);
    if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      throw new IllegalArgumentException("host must not contain brackets: '" + host + "'");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  public static NodeAddress of(String host, int port) {
    return new NodeAddress(host, port);
  }

  /**
   * Parses {@code host:port}, or {@code [ipv6]:port} for IPv6 literals (the form {@link
   * #toString()} prints).
   *
   * @throws IllegalArgumentException if the text is not such an address
   */
  public static NodeAddress parse(String text) {
    Objects.requireNonNull(text, "address");
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("IPv6 hosts must be bracketed: '" + text + "'");
    }
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port in '" + text + "'", e);
    }
    return new NodeAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
