package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.RespRequest;

/**
 * A request that names a known command with a valid argument count: what {@link
 * CommandTable#resolve} returns.
 */
public record CommandCall(Command command, RespRequest request) {

  public CommandCall {
    if (!command.acceptsArgCount(request.size())) {
      throw new IllegalArgumentException(request + " has a wrong argument count for " + command);
    }
  }

  /** The arguments after the command name. */
  public int argCount() {
    return request.size() - 1;
  }

  /** A copy of the {@code i}-th argument after the command name, counting from 1. */
  public byte[] arg(int i) {
    return request.arg(i);
  }

  /** The {@code i}-th argument after the command name, counting from 1, as UTF-8 text. */
  public String argString(int i) {
    return request.argString(i);
  }

  /** For {@code SUBMIT <command...>}: the write command it wraps, already checked by resolve. */
  public CommandCall submitted() {
    if (command != Command.SUBMIT) {
      throw new IllegalStateException(command + " wraps no command");
    }
    return CommandTable.resolve(request.tail(1)).value();
  }
}
