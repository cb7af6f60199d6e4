package io.tinykv.raft.protocol.handshake;

import java.security.SecureRandom;

/**
 * Where handshake nonces come from. Production uses {@link #secure()}; tests inject fixed bytes to
 * replay a handshake exactly. Implementations must be unpredictable to anyone without access to the
 * node: a guessable nonce would let a recorded proof be replayed.
 */
@FunctionalInterface
public interface NonceSource {

  /** Fills {@code bytes} with fresh random bytes. */
  void nextBytes(byte[] bytes);

  /** Nonces from a new {@link SecureRandom}. */
  static NonceSource secure() {
    SecureRandom random = new SecureRandom();
    return random::nextBytes;
  }
}
