package io.tinykv.raft.benchmarks.library;

import io.tinykv.raft.benchmarks.load.LoadTarget;

/** One running node of a {@link BenchSystem}, hosted by {@link NodeHost}. */
public interface BenchNode extends AutoCloseable {

  /** Whether this node is the leader right now. */
  boolean isLeader();

  /**
   * Leader-local requests, as an embedder makes them: writes proposed to this node's Raft instance
   * (completing once committed and applied), linearizable reads.
   */
  LoadTarget target();

  /** Log entries this node made durable so far; -1 if the library does not say. */
  long entriesWritten();

  /** Log fsyncs this node made so far; -1 if the library does not say. */
  long fsyncs();

  /** Stops the node; never throws (a failure to stop is logged by the adapter). */
  @Override
  void close();
}
