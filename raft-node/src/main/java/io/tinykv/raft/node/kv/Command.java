package io.tinykv.raft.node.kv;

import static io.tinykv.raft.node.kv.CommandKind.ADMIN;
import static io.tinykv.raft.node.kv.CommandKind.LOCAL;
import static io.tinykv.raft.node.kv.CommandKind.READ;
import static io.tinykv.raft.node.kv.CommandKind.WRITE;

import java.util.Locale;

/**
 * Every command the server knows, with its Redis-style arity and how it is served.
 *
 * <p>Arity counts the command name: a positive arity is the exact argument count, a negative one
 * the minimum ({@code -3}: at least three). Some commands also have a maximum, which Redis checks
 * inside the command but reports with the same "wrong number of arguments" error.
 */
public enum Command {
  SET(-3, WRITE, 1, 1, 1),
  GET(2, READ, 1, 1, 1),
  DEL(-2, WRITE, 1, -1, 1),
  EXISTS(-2, READ, 1, -1, 1),
  INCR(2, WRITE, 1, 1, 1),
  INCRBY(3, WRITE, 1, 1, 1),
  DECR(2, WRITE, 1, 1, 1),
  MGET(-2, READ, 1, -1, 1),
  /** At least one key and value, and always pairs. */
  MSET(-3, WRITE, 1, -1, 2),
  DBSIZE(1, READ),

  PING(-1, 2, LOCAL),
  ECHO(2, LOCAL),
  /** {@code AUTH password} or {@code AUTH username password}. */
  AUTH(-2, 3, LOCAL),
  INFO(-1, LOCAL),
  QUIT(-1, LOCAL),
  CONFIG(-2, LOCAL),
  COMMAND(-1, LOCAL),
  HELLO(-1, LOCAL),
  SELECT(2, LOCAL),
  CLIENT(-2, LOCAL),

  /** The current leader's address. */
  GET_MASTER(1, ADMIN),
  LIST_NODES(1, ADMIN),
  /** Role, term, leader, indexes, members, and the state digest at the applied index. */
  GET_STATUS(1, ADMIN),
  /** {@code ADD_NODE host:port [id]}. */
  ADD_NODE(-2, 3, ADMIN),
  /** {@code REMOVE_NODE id|host:port}. */
  REMOVE_NODE(2, ADMIN),
  /** {@code TRANSFER_LEADER id}. */
  TRANSFER_LEADER(2, ADMIN),
  SNAPSHOT(1, ADMIN),
  /**
   * {@code SUBMIT <write command...>}: replies with the log index at once; {@link
   * CommandTable#resolve} checks the wrapped command, {@link CommandCall#submitted} returns it.
   */
  SUBMIT(-3, ADMIN),
  /** {@code RESULT <index>}: the applied result of a SUBMIT, or that it is not yet applied. */
  RESULT(2, ADMIN);

  private final int arity;
  private final int maxArgs;
  private final CommandKind kind;
  private final int firstKey;
  private final int lastKey;
  private final int keyStep;

  Command(int arity, CommandKind kind) {
    this(arity, 0, kind, 0, 0, 0);
  }

  Command(int arity, int maxArgs, CommandKind kind) {
    this(arity, maxArgs, kind, 0, 0, 0);
  }

  Command(int arity, CommandKind kind, int firstKey, int lastKey, int keyStep) {
    this(arity, 0, kind, firstKey, lastKey, keyStep);
  }

  Command(int arity, int maxArgs, CommandKind kind, int firstKey, int lastKey, int keyStep) {
    this.arity = arity;
    this.maxArgs = maxArgs;
    this.kind = kind;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.keyStep = keyStep;
  }

  /** Redis-style arity: exact if positive, a minimum if negative; the name counts. */
  public int arity() {
    return arity;
  }

  public CommandKind kind() {
    return kind;
  }

  /** The name as Redis prints it in errors and in COMMAND output: lower case. */
  public String lowerName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a request of {@code argCount} arguments (the name included) has a valid count. */
  public boolean acceptsArgCount(int argCount) {
    boolean enough = arity >= 0 ? argCount == arity : argCount >= -arity;
    boolean notTooMany = maxArgs == 0 || argCount <= maxArgs;
    boolean pairs = this != MSET || argCount % 2 == 1;
    return enough && notTooMany && pairs;
  }

  /** Whether a client that has not authenticated may send it. */
  public boolean allowedBeforeAuth() {
    return this == AUTH || this == HELLO || this == QUIT;
  }

  /** The position of the first key argument, 0 if the command takes no key (COMMAND output). */
  public int firstKey() {
    return firstKey;
  }

  /** The position of the last key argument; -1 is the last argument (COMMAND output). */
  public int lastKey() {
    return lastKey;
  }

  /** The distance between key arguments: 2 for MSET's key, value pairs (COMMAND output). */
  public int keyStep() {
    return keyStep;
  }
}
