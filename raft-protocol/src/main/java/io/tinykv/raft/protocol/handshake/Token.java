package io.tinykv.raft.protocol.handshake;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * A 32-byte handshake value: a nonce or an HMAC-SHA256 proof. Immutable (its bytes are copied in
 * and out), and {@link #equals} compares in constant time, so checking a proof leaks nothing
 * through timing about how many of its bytes were right.
 */
public final class Token {

  /** The length of every token: the size of an HMAC-SHA256 output. */
  public static final int LENGTH = 32;

  private final byte[] bytes;

  private Token(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A token holding a copy of {@code bytes}.
   *
   * @throws IllegalArgumentException unless {@code bytes} has exactly {@value #LENGTH} bytes
   */
  public static Token copyOf(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a token has " + LENGTH + " bytes, got " + bytes.length);
    }
    return new Token(bytes.clone());
  }

  /** A fresh nonce from {@code source}. */
  static Token random(NonceSource source) {
    byte[] bytes = new byte[LENGTH];
    source.nextBytes(bytes);
    return new Token(bytes);
  }

  /** Wraps a MAC output this class created and nobody else holds. */
  static Token ofMac(Mac mac) {
    return new Token(mac.doFinal());
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  void feed(Mac mac) {
    mac.update(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Token other && MessageDigest.isEqual(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** The first four bytes in hex, enough to tell tokens apart in a log. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes, 0, 4) + "…";
  }
}
