package io.tinykv.raft.jmx.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.rmi.AlreadyBoundException;
import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * A remote JMX connector that JConsole and VisualVM reach with {@code host:port}: the RMI registry
 * and the RMI connector share one fixed port, bound to one address, so one firewall or container
 * port mapping is enough (the JDK's default picks a random second port).
 *
 * <p>Every connection must authenticate through the given {@link JMXAuthenticator}; without
 * credentials, or with wrong ones, a client gets a {@link SecurityException} and sees no MBean. The
 * registry itself answers lookups of the connector's stub only.
 *
 * <p>RMI puts the host name clients must call back into the stub it hands out. It takes it from the
 * system property {@code java.rmi.server.hostname}, and otherwise from the machine's own host name,
 * which is often unreachable (a container's name, {@code 127.0.1.1}). This class therefore sets
 * that property to the bind address when it is unset; an operator behind NAT sets it to the address
 * clients use instead. The property is read once per JVM, before its first RMI export.
 *
 * <p>With TLS, both the registry and the connector speak TLS on the port; clients then need {@code
 * -Djavax.net.ssl.trustStore=...} and, for the registry, {@code
 * -Dcom.sun.jndi.rmi.factory.socket=javax.rmi.ssl.SslRMIClientSocketFactory} (JConsole: prefix each
 * with {@code -J}).
 */
public final class JmxRemoteServer implements AutoCloseable {

  /** The system property RMI takes the advertised host name from. */
  public static final String RMI_HOSTNAME = "java.rmi.server.hostname";

  /** The name the connector's stub is bound under in the registry, as JConsole expects. */
  public static final String REGISTRY_NAME = "jmxrmi";

  private final Registry registry;
  private final JMXConnectorServer connector;
  private final JMXServiceURL url;
  private final String advertisedHost;
  private final int port;

  private JmxRemoteServer(
      Registry registry,
      JMXConnectorServer connector,
      JMXServiceURL url,
      String advertisedHost,
      int port) {
    this.registry = registry;
    this.connector = connector;
    this.url = url;
    this.advertisedHost = advertisedHost;
    this.port = port;
  }

  /**
   * Starts the registry and the connector on {@code host:port}.
   *
   * @param mbeans the MBean server remote clients see (usually the platform one)
   * @param host the address to bind to; a wildcard address needs {@code java.rmi.server.hostname}
   * @param port the one port for the registry and the connector, 1 to 65535
   * @param authenticator checks every client's credentials
   * @param tls if present, the registry and the connector speak TLS with this context
   * @throws IOException if the port cannot be bound or the connector does not start
   * @throws IllegalArgumentException if the port or host is unusable
   */
  public static JmxRemoteServer start(
      MBeanServer mbeans,
      String host,
      int port,
      JMXAuthenticator authenticator,
      Optional<SSLContext> tls)
      throws IOException {
    Objects.requireNonNull(mbeans, "mbeans");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(tls, "tls");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the JMX port must be in 1..65535, got " + port);
    }
    InetAddress bindAddress = InetAddress.getByName(host);
    String advertised = advertisedHost(host, bindAddress);
    BoundServerSocketFactory serverSockets = new BoundServerSocketFactory(bindAddress, tls);
    RMIClientSocketFactory clientSockets = tls.isPresent() ? new SslRMIClientSocketFactory() : null;

    Registry registry;
    try {
      registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
    } catch (RemoteException e) {
      throw new IOException(
          "cannot open the JMX port " + host + ":" + port + ": " + rootMessage(e), e);
    }
    try {
      Map<String, Object> env = new HashMap<>();
      env.put(JMXConnectorServer.AUTHENTICATOR, authenticator);
      // Only strings may be deserialized as credentials, before authentication.
      env.put("jmx.remote.rmi.server.credentials.filter.pattern", "java.lang.String;!*");
      // The exported connector does not keep the JVM alive by itself.
      env.put("jmx.remote.x.daemon", "true");
      RMIJRMPServerImpl rmiServer = new RMIJRMPServerImpl(port, clientSockets, serverSockets, env);
      JMXConnectorServer connector =
          new RMIConnectorServer(
              new JMXServiceURL("rmi", advertised, port), env, rmiServer, mbeans);
      connector.start();
      try {
        registry.bind(REGISTRY_NAME, rmiServer.toStub());
      } catch (AlreadyBoundException | IOException e) {
        connector.stop();
        throw e;
      }
      return new JmxRemoteServer(
          registry, connector, serviceUrl(advertised, port), advertised, port);
    } catch (IOException | AlreadyBoundException | RuntimeException e) {
      unexport(registry);
      throw e instanceof IOException io
          ? io
          : new IOException("cannot start the JMX connector on " + host + ":" + port, e);
    }
  }

  /**
   * The host name RMI stubs will carry: {@code java.rmi.server.hostname} if set, else {@code host}
   * (which this method then sets as that property).
   */
  private static String advertisedHost(String host, InetAddress bindAddress) {
    String configured = System.getProperty(RMI_HOSTNAME);
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    if (bindAddress.isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "JMX bound to the wildcard address "
              + host
              + " cannot tell clients where to connect: bind it to one address, or start the"
              + " JVM with -D"
              + RMI_HOSTNAME
              + "=<an address clients reach>");
    }
    System.setProperty(RMI_HOSTNAME, host);
    return host;
  }

  /** The URL a client passes to {@code JMXConnectorFactory}, as JConsole builds from host:port. */
  public static JMXServiceURL serviceUrl(String host, int port) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    try {
      return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + h + ":" + port + "/jmxrmi");
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a usable JMX host: " + host, e);
    }
  }

  /** Where clients connect: {@code service:jmx:rmi:///jndi/rmi://<host>:<port>/jmxrmi}. */
  public JMXServiceURL url() {
    return url;
  }

  /** The host name clients are told to call back (in the stubs RMI hands out). */
  public String advertisedHost() {
    return advertisedHost;
  }

  public int port() {
    return port;
  }

  /** Stops accepting clients, closes open connections and frees the port. */
  @Override
  public void close() throws IOException {
    try {
      connector.stop();
    } finally {
      unexport(registry);
    }
  }

  private static void unexport(Registry registry) {
    try {
      UnicastRemoteObject.unexportObject(registry, true);
    } catch (NoSuchObjectException alreadyGone) {
      // nothing to free
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public String toString() {
    return "JMX on " + url;
  }
}
