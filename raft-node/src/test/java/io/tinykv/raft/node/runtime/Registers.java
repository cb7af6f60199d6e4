package io.tinykv.raft.node.runtime;

import io.tinykv.raft.node.api.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A state machine of bounded size for tests: a command {@code name=value} overwrites register
 * {@code name}, so the state (and so every snapshot) is as large as the set of names, however many
 * commands were applied. Thread-safe, so tests can look at it while the applier runs.
 */
public final class Registers implements StateMachine<Long> {

  private final TreeMap<String, String> registers = new TreeMap<>();
  private long applyCalls;

  @Override
  public synchronized Long apply(long index, byte[] command) {
    String text = new String(command, StandardCharsets.UTF_8);
    int eq = text.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("not name=value: " + text);
    }
    registers.put(text.substring(0, eq), text.substring(eq + 1));
    applyCalls++;
    return (long) registers.size();
  }

  @Override
  public synchronized void snapshot(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(registers.size());
    for (Map.Entry<String, String> e : registers.entrySet()) {
      data.writeUTF(e.getKey());
      data.writeUTF(e.getValue());
    }
    data.flush();
  }

  @Override
  public synchronized void restore(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    registers.clear();
    int n = data.readInt();
    for (int i = 0; i < n; i++) {
      registers.put(data.readUTF(), data.readUTF());
    }
  }

  public synchronized Map<String, String> copy() {
    return new TreeMap<>(registers);
  }

  public synchronized long applyCalls() {
    return applyCalls;
  }
}
