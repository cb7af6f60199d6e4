package io.tinykv.raft.jmx.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Server sockets bound to one address (not the wildcard address RMI uses by default), optionally
 * TLS. Two equal factories let the RMI registry and the RMI connector share one port.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory {

  private static final int BACKLOG = 50;

  private final InetAddress address;
  private final Optional<SSLContext> tls;

  BoundServerSocketFactory(InetAddress address, Optional<SSLContext> tls) {
    this.address = Objects.requireNonNull(address, "address");
    this.tls = Objects.requireNonNull(tls, "tls");
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    if (tls.isPresent()) {
      return tls.get().getServerSocketFactory().createServerSocket(port, BACKLOG, address);
    }
    return new ServerSocket(port, BACKLOG, address);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BoundServerSocketFactory other
        && address.equals(other.address)
        && tls.equals(other.tls);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, tls);
  }
}
