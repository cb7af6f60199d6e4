package io.tinykv.raft.node.runtime.snapshot;

import io.tinykv.raft.storage.SnapshotInfo;
import io.tinykv.raft.storage.SnapshotMeta;
import io.tinykv.raft.storage.SnapshotReader;
import io.tinykv.raft.storage.SnapshotReceiver;
import io.tinykv.raft.storage.SnapshotStore;
import io.tinykv.raft.storage.SnapshotWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's snapshot store as the runtime uses it: the applier writes snapshots of the local state
 * machine, the log writer installs snapshots received from a leader. The two may overlap in time;
 * only their final step (the atomic move into place) is serialized here, and a local snapshot that
 * a newer received one overtook is discarded instead of failing the node.
 *
 * <p>Threading: {@link #write} on the applier, {@link #install} on the log writer, the rest on any
 * thread.
 */
public final class LocalSnapshots {

  /** Writes the state machine's content. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private final SnapshotStore store;
  private final ReentrantLock commitLock = new ReentrantLock();

  public LocalSnapshots(SnapshotStore store) {
    this.store = store;
  }

  /** The newest durable snapshot. */
  public Optional<SnapshotInfo> latest() {
    return store.latest();
  }

  /** Opens a durable snapshot for reading. */
  public SnapshotReader open(SnapshotInfo info) {
    return store.open(info);
  }

  /**
   * Writes a snapshot of the local state machine and makes it durable.
   *
   * @return the new snapshot, or empty if the store already holds one at or past {@code meta}'s
   *     index (a snapshot received meanwhile)
   * @throws IOException if the state machine failed to write its content
   */
  public Optional<SnapshotInfo> write(SnapshotMeta meta, Content content) throws IOException {
    SnapshotWriter started;
    commitLock.lock();
    try {
      // Checked and created under the lock: an install in between would make create() refuse.
      if (isCovered(meta)) {
        return Optional.empty();
      }
      started = store.create(meta);
    } finally {
      commitLock.unlock();
    }
    try (SnapshotWriter writer = started) {
      OutputStream out = writer.content();
      content.writeTo(out);
      out.flush();
      commitLock.lock();
      try {
        if (isCovered(meta)) {
          return Optional.empty();
        }
        return Optional.of(writer.commit());
      } finally {
        commitLock.unlock();
      }
    }
  }

  /** Makes a received, verified and accepted snapshot the current one. */
  public SnapshotInfo install(SnapshotReceiver verified) {
    commitLock.lock();
    try {
      return verified.commit();
    } finally {
      commitLock.unlock();
      verified.close();
    }
  }

  SnapshotStore store() {
    return store;
  }

  private boolean isCovered(SnapshotMeta meta) {
    return store.latest().map(s -> s.meta().lastIndex() >= meta.lastIndex()).orElse(false);
  }
}
