package io.tinykv.raft.protocol;

/**
 * What a log entry carries. Each type has a stable one-byte code used by the on-disk and wire
 * formats; codes are never reused.
 */
public enum EntryType implements WireCoded {
  /** An opaque state machine command. */
  COMMAND((byte) 1),
  /** A cluster membership change; its payload is an encoded {@link Membership}. */
  CONFIGURATION((byte) 2),
  /** An empty entry a new leader appends so that it can commit entries of earlier terms. */
  NO_OP((byte) 3);

  private final byte code;

  EntryType(byte code) {
    this.code = code;
  }

  @Override
  public byte code() {
    return code;
  }

  /**
   * Returns the type with the given code.
   *
   * @throws IllegalArgumentException if the code is unknown (a corrupt or newer record)
   */
  public static EntryType fromCode(byte code) {
    return WireCoded.fromCode(EntryType.class, code);
  }
}
