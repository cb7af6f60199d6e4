package io.tinykv.raft.benchmarks.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The peer library versions this jar was built with (the parent pom's pins). */
final class PeerVersions {

  private static final Properties VERSIONS = load();

  private PeerVersions() {}

  static String of(String library) {
    return VERSIONS.getProperty(library, "unknown");
  }

  private static Properties load() {
    Properties versions = new Properties();
    try (InputStream in = PeerVersions.class.getResourceAsStream("/peers-versions.properties")) {
      if (in != null) {
        versions.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }
}
