package io.tinykv.raft.benchmarks.load;

import java.util.concurrent.CompletionStage;

/**
 * What a load loop drives: a write and a read that complete asynchronously. A write completes once
 * the system acknowledges it (for the Raft systems: committed on a majority and applied); a read
 * completes with a linearizable answer.
 *
 * <p>Both methods are called from many threads at once and must not block: the load loop keeps a
 * fixed number of requests in flight by issuing the next one from the completion of the last.
 */
public interface LoadTarget {

  CompletionStage<?> write(byte[] key, byte[] value);

  CompletionStage<?> read(byte[] key);
}
