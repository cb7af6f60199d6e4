package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A state machine for cluster tests: appends every command to a list; a command's result is its
 * position in that list. Thread-safe, so tests can look at it while the applier runs.
 */
public final class Journal implements StateMachine<Long> {

  private final List<String> applied = new ArrayList<>();
  private long applyCalls;
  private long restores;

  @Override
  public synchronized Long apply(long index, byte[] command) {
    applied.add(new String(command, StandardCharsets.UTF_8));
    applyCalls++;
    return (long) applied.size();
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(applied.size());
    for (String s : applied) {
      data.writeUTF(s);
    }
    data.flush();
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    applied.clear();
    restores++;
    int n = data.readInt();
    for (int i = 0; i < n; i++) {
      applied.add(data.readUTF());
    }
  }

  /** How many commands this instance applied itself (not restored from a snapshot). */
  public synchronized long applyCalls() {
    return applyCalls;
  }

  /** How many times this instance was restored from a snapshot. */
  public synchronized long restores() {
    return restores;
  }

  /** The commands applied so far, in order. */
  public synchronized List<String> copy() {
    return List.copyOf(applied);
  }
}
