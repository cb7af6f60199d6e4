package io.tinykv.raft.it.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cuts links between containers with host iptables rules: one chain of its own ({@code TKV-...}),
 * jumped to from the engine's DOCKER-USER chain, which sees the traffic between containers of a
 * bridge network. A cut link drops packets both ways, so TCP connections stall as in a real
 * partition rather than being refused. Clients on the host are not affected: their traffic to a
 * container does not pass the FORWARD chain.
 *
 * <p>Not thread-safe; one test thread drives it.
 */
final class Firewall implements AutoCloseable {

  private static final long IPTABLES_TIMEOUT_SECONDS = 30;

  private final String chain;
  private boolean installed;

  /** A firewall whose chain is named after {@code tag} (at most 24 characters). */
  Firewall(String tag) {
    if (tag.length() > 24 || !tag.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("bad chain tag: " + tag);
    }
    this.chain = "TKV-" + tag;
  }

  String chain() {
    return chain;
  }

  /** Creates the chain and the jump to it. */
  void install() {
    iptables("-w", "-N", chain);
    installed = true;
    iptables("-w", "-I", "DOCKER-USER", "1", "-j", chain);
  }

  /** Drops every packet between {@code a} and {@code b}, in both directions. */
  void cut(String a, String b) {
    requireInstalled();
    iptables("-w", "-A", chain, "-s", a, "-d", b, "-j", "DROP");
    iptables("-w", "-A", chain, "-s", b, "-d", a, "-j", "DROP");
  }

  /** Removes every cut. */
  void healAll() {
    requireInstalled();
    iptables("-w", "-F", chain);
  }

  /** The chain's rules as iptables lists them, for logs. */
  String rules() {
    return installed ? iptables("-w", "-n", "-v", "-L", chain) : "(not installed)";
  }

  private void requireInstalled() {
    if (!installed) {
      throw new IllegalStateException("firewall " + chain + " is not installed");
    }
  }

  /** Removes the jump and the chain; safe to call twice. */
  @Override
  public void close() {
    if (!installed) {
      return;
    }
    installed = false;
    List<String> problems = new ArrayList<>();
    for (String[] command :
        List.of(
            new String[] {"-w", "-D", "DOCKER-USER", "-j", chain},
            new String[] {"-w", "-F", chain},
            new String[] {"-w", "-X", chain})) {
      try {
        iptables(command);
      } catch (IllegalStateException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("could not remove firewall chain " + chain + ": " + problems);
    }
  }

  /** Runs host iptables; returns its output, or throws with it if the command failed. */
  static String iptables(String... args) {
    List<String> command = new ArrayList<>();
    command.add("iptables");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!process.waitFor(IPTABLES_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " exited with "
                + process.exitValue()
                + ": "
                + output.trim());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
