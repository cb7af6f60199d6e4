package io.tinykv.raft.benchmarks.library;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where node {@code index} of a benchmark cluster runs. Every node listens on 127.0.0.1.
 *
 * @param index this node's position in {@code ports} (0-based)
 * @param ports every member's port, in the same order on every node
 * @param dataDir this node's own, initially empty, directory
 * @param secret a shared secret for libraries that authenticate peers
 */
public record NodeSpec(int index, List<Integer> ports, Path dataDir, String secret) {

  public static final String HOST = "127.0.0.1";

  public NodeSpec {
    ports = List.copyOf(ports);
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(secret, "secret");
    if (index < 0 || index >= ports.size()) {
      throw new IllegalArgumentException("index " + index + " is not in 0.." + (ports.size() - 1));
    }
  }

  public int port() {
    return ports.get(index);
  }

  /** A name for member {@code i}: {@code n1}, {@code n2}, ... */
  public static String name(int i) {
    return "n" + (i + 1);
  }
}
