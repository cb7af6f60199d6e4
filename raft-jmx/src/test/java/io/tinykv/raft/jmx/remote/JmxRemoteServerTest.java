package io.tinykv.raft.jmx.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector as JConsole uses it: host:port, a user name and a password. (JMX clients look the
 * connector up through JNDI, which Error Prone's BanJNDI flags; these tests are such a client, and
 * talk only to the server they start.)
 */
@SuppressWarnings("BanJNDI")
class JmxRemoteServerTest {

  private static final String HOST = "127.0.0.1";
  private static final String USER = "admin";
  private static final String PASSWORD = "correct-horse";
  private static final InetAddress LOOPBACK = loopback();

  /** A management interface for the test bean. */
  public interface ProbeMBean {
    int getAnswer();
  }

  /** A bean to look for through the connector. */
  public static final class Probe implements ProbeMBean {
    @Override
    public int getAnswer() {
      return 42;
    }
  }

  private final MBeanServer mbeans = MBeanServerFactory.newMBeanServer();
  private final ObjectName probe = name("io.tinykv:type=Probe");
  private JmxRemoteServer server;

  @BeforeEach
  void registerProbe() throws Exception {
    mbeans.registerMBean(new Probe(), probe);
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private JmxRemoteServer start(int port, Optional<SSLContext> tls) throws IOException {
    server =
        JmxRemoteServer.start(mbeans, HOST, port, new SecretAuthenticator(USER, PASSWORD), tls);
    return server;
  }

  private static Map<String, Object> credentials(String user, String password) {
    return Map.of(JMXConnector.CREDENTIALS, new String[] {user, password});
  }

  @Test
  void aClientWithTheRightPasswordSeesTheBeansOnTheOnePort() throws Exception {
    int port = freePort();
    start(port, Optional.empty());
    assertThat(server.url().toString())
        .isEqualTo("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    try (JMXConnector client =
        JMXConnectorFactory.connect(server.url(), credentials(USER, PASSWORD))) {
      MBeanServerConnection connection = client.getMBeanServerConnection();
      assertThat(connection.getAttribute(probe, "Answer")).isEqualTo(42);
      assertThat(connection.queryNames(new ObjectName("io.tinykv:*"), null)).contains(probe);
    }
  }

  @Test
  void wrongPasswordsWrongUsersAndNoCredentialsAreRefused() throws Exception {
    start(freePort(), Optional.empty());
    for (Map<String, ?> env :
        List.of(
            credentials(USER, "wrong-password"),
            credentials("root", PASSWORD),
            Map.<String, Object>of())) {
      assertThatThrownBy(() -> JMXConnectorFactory.connect(server.url(), env).close())
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("authentication");
    }
  }

  @Test
  void theStubInTheRegistryNamesTheBoundHostAndTheSamePort() throws Exception {
    int port = freePort();
    start(port, Optional.empty());
    assertThat(server.advertisedHost()).isEqualTo(HOST);
    Registry registry = LocateRegistry.getRegistry(HOST, port);
    assertThat(registry.list()).containsExactly(JmxRemoteServer.REGISTRY_NAME);
    // The stub clients get tells them where to call: the bound host and the same port.
    String stub = registry.lookup(JmxRemoteServer.REGISTRY_NAME).toString();
    assertThat(stub).contains("endpoint:[" + HOST + ":" + port + "]");
  }

  @Test
  void closingStopsListening() throws Exception {
    int port = freePort();
    start(port, Optional.empty()).close();
    server = null;
    // Refused, not merely unauthenticated: nothing listens on the port any more. (Binding it again
    // could race with other processes' outgoing connections, which may get it as their local port.)
    assertThatThrownBy(() -> new Socket(LOOPBACK, port).close())
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aBusyPortIsAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
      assertThatThrownBy(() -> start(taken.getLocalPort(), Optional.empty()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot open the JMX port 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void badPortsAndWildcardsWithoutAnAdvertisedHostAreRefused() {
    assertThatThrownBy(() -> start(0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..65535");
    String saved = System.getProperty(JmxRemoteServer.RMI_HOSTNAME);
    System.clearProperty(JmxRemoteServer.RMI_HOSTNAME);
    try {
      assertThatThrownBy(
              () ->
                  JmxRemoteServer.start(
                      mbeans,
                      "0.0.0.0",
                      freePort(),
                      new SecretAuthenticator(USER, PASSWORD),
                      Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("-Djava.rmi.server.hostname");
    } finally {
      if (saved != null) {
        System.setProperty(JmxRemoteServer.RMI_HOSTNAME, saved);
      }
    }
  }

  @Test
  void tlsOnTheRegistryAndTheConnector(@TempDir Path dir) throws Exception {
    SSLContext tls = selfSigned(dir);
    SSLContext previous = SSLContext.getDefault();
    // The client side of RMI over TLS uses the default context.
    SSLContext.setDefault(tls);
    try {
      start(freePort(), Optional.of(tls));
      Map<String, Object> env =
          Map.of(
              JMXConnector.CREDENTIALS,
              new String[] {USER, PASSWORD},
              "com.sun.jndi.rmi.factory.socket",
              new SslRMIClientSocketFactory());
      try (JMXConnector client = JMXConnectorFactory.connect(server.url(), env)) {
        assertThat(client.getMBeanServerConnection().getAttribute(probe, "Answer")).isEqualTo(42);
      }
      // A plain client cannot even read the registry.
      assertThatThrownBy(
              () -> JMXConnectorFactory.connect(server.url(), credentials(USER, PASSWORD)))
          .isInstanceOf(IOException.class);
    } finally {
      SSLContext.setDefault(previous);
    }
  }

  /** A key store with one self-signed key, made by the JDK's keytool, as server key and trust. */
  private static SSLContext selfSigned(Path dir) throws Exception {
    Path store = dir.resolve("jmx.p12");
    char[] password = "store-password".toCharArray();
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "jmx",
                "-keyalg",
                "EC",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                new String(password))
            .redirectErrorStream(true)
            .start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(keytool.exitValue()).as("keytool: " + output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, password);
    }
    KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    km.init(keys, password);
    TrustManagerFactory tm =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tm.init(keys);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(km.getKeyManagers(), tm.getTrustManagers(), null);
    return context;
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      return probe.getLocalPort();
    }
  }
}
