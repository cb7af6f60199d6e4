package io.tinykv.raft.storage;

/**
 * The node's small durable state: {@link PersistentMeta} (identity, term, vote, membership).
 *
 * <p><b>Durability.</b> {@link #save} returns only once the new value is durable, and replaces the
 * old one atomically: after a crash at any moment the store holds either the old or the new value,
 * never a mix. A vote may therefore be sent as soon as {@code save} returns (Raft paper, Figure 2:
 * persist before responding).
 *
 * <p><b>Threading.</b> {@link #save} is called by one thread at a time (the log writer, which
 * persists a ready's hard state before its entries); {@link #current()} may be called from any
 * thread and returns the last saved value.
 *
 * <p><b>Failure.</b> A failed save throws {@link StorageException}; the node must stop, since it
 * cannot know whether the new term or vote is on disk. Opening a store whose file is damaged throws
 * {@link CorruptStorageException}: the node refuses to start rather than vote again with a
 * forgotten term.
 */
public interface MetaStore {

  /** The last value saved (or loaded at start-up). */
  PersistentMeta current();

  /**
   * Durably and atomically replaces the stored value.
   *
   * @throws IllegalArgumentException if the cluster id or node UUID differs from the stored one
   *     (identity never changes) or the term goes backwards
   * @throws StorageException if writing or syncing failed (fatal)
   */
  void save(PersistentMeta meta);

  /** Saves the current value with a new term and vote; see {@link #save}. */
  default void saveHardState(HardState hardState) {
    save(current().withHardState(hardState));
  }
}
