package io.tinykv.raft.benchmarks.library;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link BenchSystem}s on the class path, by name. */
public final class BenchSystems {

  private BenchSystems() {}

  public static Map<String, BenchSystem> available() {
    Map<String, BenchSystem> systems = new TreeMap<>();
    for (BenchSystem system : ServiceLoader.load(BenchSystem.class)) {
      systems.put(system.name(), system);
    }
    return systems;
  }

  /** The system called {@code name}, or a clear refusal naming those that are there. */
  public static BenchSystem named(String name) {
    BenchSystem system = available().get(name);
    if (system == null) {
      throw new IllegalArgumentException(
          "no benchmark adapter for '"
              + name
              + "' on the class path (have: "
              + available().keySet()
              + "); SOFAJRaft (jraft) and Ratis (ratis) come with the -Ppeers build:"
              + " java -cp benchmarks/peers/target/benchmarks-peers.jar ...");
    }
    return system;
  }
}
