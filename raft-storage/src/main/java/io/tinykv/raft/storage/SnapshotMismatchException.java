package io.tinykv.raft.storage;

/**
 * Received snapshot content does not match what the sender announced (size or CRC32C): it was
 * damaged or cut in transit. Not fatal: discard it and ask the leader for the snapshot again.
 */
public final class SnapshotMismatchException extends RuntimeException {

  public SnapshotMismatchException(String message) {
    super(message);
  }
}
