package io.tinykv.raft.it.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The local Docker engine and host firewall the partition suite needs, found once per test JVM.
 *
 * <p>Where they are missing the suite is skipped with the reason, for a developer without Docker;
 * with the environment variable {@value #REQUIRE} set to {@code 1} (as {@code .ci/run} does) the
 * same reason fails the tests instead, so CI can never pass by skipping them.
 */
final class DockerEnvironment {

  /** Set to 1 to turn "no usable Docker engine" from a skip into a failure. */
  static final String REQUIRE = "TINYKV_REQUIRE_DOCKER";

  private static final Path BRIDGE_NETFILTER =
      Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");

  private static DockerClient client;
  private static String unusable;

  private DockerEnvironment() {}

  /**
   * The engine's client, shared by the tests of this JVM (never closed: it lives as long as the
   * JVM). Skips the calling test (or fails it, see {@link #REQUIRE}) if the engine cannot be used.
   */
  static synchronized DockerClient client() {
    if (client == null && unusable == null) {
      probe();
    }
    if (unusable != null) {
      String message =
          "Docker partition suite: "
              + unusable
              + ". Start a Docker engine (see README, 'The Docker partition suite') to run it.";
      if ("1".equals(System.getenv(REQUIRE))) {
        Assertions.fail(message + " (" + REQUIRE + "=1, so this is a failure, not a skip)");
      }
      System.err.println(message + " Skipping.");
      Assumptions.abort(message);
    }
    return client;
  }

  private static void probe() {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    ZerodepDockerHttpClient http =
        new ZerodepDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofMinutes(3))
            .maxConnections(16)
            .build();
    DockerClient candidate = DockerClientImpl.getInstance(config, http);
    try {
      candidate.pingCmd().exec();
    } catch (RuntimeException e) {
      unusable = "no Docker engine answers at " + config.getDockerHost() + " (" + e + ")";
      return;
    }
    String firewall = firewallProblem();
    if (firewall != null) {
      unusable = firewall;
      return;
    }
    client = candidate;
  }

  /**
   * Why the partial partitions (host iptables rules in DOCKER-USER between container addresses)
   * would not work here, or null if they will: they need root, iptables, the DOCKER-USER chain that
   * the engine creates, and bridged traffic passing through iptables (br_netfilter).
   */
  private static String firewallProblem() {
    try {
      String bridged = Files.readString(BRIDGE_NETFILTER, StandardCharsets.US_ASCII).trim();
      if (!"1".equals(bridged)) {
        return BRIDGE_NETFILTER
            + " is "
            + bridged
            + ": traffic between containers bypasses iptables, so partitions would not cut"
            + " anything (modprobe br_netfilter; sysctl net.bridge.bridge-nf-call-iptables=1)";
      }
    } catch (IOException e) {
      return "cannot read "
          + BRIDGE_NETFILTER
          + " ("
          + e
          + "): the br_netfilter module is not loaded, so iptables cannot cut bridged traffic";
    }
    try {
      Firewall.iptables("-w", "-n", "-L", "DOCKER-USER");
    } catch (IllegalStateException e) {
      return "host iptables with the DOCKER-USER chain is not usable (run as root, with iptables"
          + " installed and the engine started): "
          + e.getMessage();
    }
    return null;
  }
}
