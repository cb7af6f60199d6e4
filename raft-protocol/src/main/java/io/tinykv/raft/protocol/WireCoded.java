package io.tinykv.raft.protocol;

/**
 * An enum whose constants travel as a stable one-byte code rather than their ordinal or name, so
 * that constants can be added, renamed or reordered without changing the wire format. Codes are
 * never reused.
 */
public interface WireCoded {

  byte code();

  /**
   * Returns the constant of {@code type} with the given code.
   *
   * @throws IllegalArgumentException if no constant has that code (a corrupt or newer message)
   */
  static <E extends Enum<E> & WireCoded> E fromCode(Class<E> type, byte code) {
    for (E constant : type.getEnumConstants()) {
      if (constant.code() == code) {
        return constant;
      }
    }
    throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code " + code);
  }
}
