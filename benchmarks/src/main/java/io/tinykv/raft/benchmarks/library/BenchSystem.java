package io.tinykv.raft.benchmarks.library;

/**
 * One Raft implementation under the library-level benchmark: TinyKV here, SOFAJRaft and Apache
 * Ratis in the {@code -Ppeers} build. Found with {@link java.util.ServiceLoader}, so the peers'
 * adapters live in their own module and the default build never sees their dependencies.
 *
 * <p>Every adapter must run the same thing: a trivial key-value state machine ({@link TrivialKv})
 * replicated by three nodes in separate processes on 127.0.0.1, each log entry durable (fsync)
 * before a node acknowledges it, writes submitted on the leader through the library's own API.
 */
public interface BenchSystem {

  /** Short name used on the command line and in reports: {@code tinykv}, {@code jraft}, ... */
  String name();

  /** The library and its version, e.g. {@code SOFAJRaft 1.3.15}. */
  String version();

  /** The settings that decide durability and batching, stated for the report. */
  String settings();

  /** Starts node {@code spec.index()} of a new cluster; it joins the others as they come up. */
  BenchNode start(NodeSpec spec) throws Exception;
}
