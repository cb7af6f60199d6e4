package io.tinykv.raft.node.kv;

/** How the server must serve a command: through the Raft log, a ReadIndex, or neither. */
public enum CommandKind {
  /**
   * Changes the state: encoded with {@link WriteParser} and {@link CommandCodec}, proposed to Raft
   * (followers forward it to the leader), answered after commit with what {@link
   * KvStateMachine#apply} returns.
   */
  WRITE,
  /**
   * Reads the state: answered by {@link KvStateMachine#read} on the applier thread once the state
   * has applied past a ReadIndex confirmed by the leader (linearizable).
   */
  READ,
  /** Answered by the connection from its own state, without Raft: see {@link LocalCommands}. */
  LOCAL,
  /**
   * A cluster command of the seed ({@code GET_STATUS}, {@code ADD_NODE}, {@code SUBMIT}, ...),
   * answered by the node runtime.
   */
  ADMIN
}
