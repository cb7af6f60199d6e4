package io.tinykv.raft.node.kv;

/**
 * A replicated command this node cannot read: a format version or opcode it does not know (a newer
 * node proposed it), or bytes that are not a valid command. Applying must stop rather than skip it,
 * or this replica would diverge from those that understood it.
 */
public final class MalformedCommandException extends IllegalArgumentException {

  MalformedCommandException(String message) {
    super(message);
  }
}
