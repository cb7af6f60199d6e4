package io.tinykv.raft.storage;

/**
 * A storage failure the node must not survive: a write, fsync, rename or read failed, or what was
 * read is not what was written. Raft's safety rests on durable state being exactly what was
 * acknowledged, so after this exception the node stops (fail-stop) and an operator looks at the
 * disk; the operation is never retried as if its data were safe.
 */
public class StorageException extends RuntimeException {

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
