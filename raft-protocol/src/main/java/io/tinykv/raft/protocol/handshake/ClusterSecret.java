package io.tinykv.raft.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared secret every node of a cluster is started with (the seed's {@code password}). It only
 * keys HMAC-SHA256; it is never sent, logged or printed ({@link #toString()} is redacted).
 */
public final class ClusterSecret {

  static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private ClusterSecret(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, ALGORITHM);
  }

  /**
   * The secret given as text (for example the {@code --secret} flag), used as its UTF-8 bytes.
   *
   * @throws IllegalArgumentException if the text is empty
   */
  public static ClusterSecret of(String secret) {
    Objects.requireNonNull(secret, "secret");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("the cluster secret must not be empty");
    }
    return new ClusterSecret(secret.getBytes(StandardCharsets.UTF_8));
  }

  /** A new HMAC-SHA256 keyed with this secret; a {@link Mac} is not thread-safe. */
  Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE platform must provide HmacSHA256.
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }

  @Override
  public String toString() {
    return "ClusterSecret[redacted]";
  }
}
