package io.tinykv.raft.node.kv;

/**
 * The per-connection state local commands read and change: the client id, whether the client has
 * authenticated, and its name. Owned by the connection's event loop; not thread-safe.
 */
public final class ClientSession {

  private final long id;
  private boolean authenticated;
  private String name = "";

  /** Use {@link LocalCommands#newSession}, which knows whether a password is required. */
  ClientSession(long id, boolean authenticated) {
    this.id = id;
    this.authenticated = authenticated;
  }

  public long id() {
    return id;
  }

  public boolean authenticated() {
    return authenticated;
  }

  void authenticate() {
    authenticated = true;
  }

  /** The name set by CLIENT SETNAME or HELLO SETNAME; empty if none. */
  public String name() {
    return name;
  }

  void name(String name) {
    this.name = name;
  }
}
