package io.tinykv.raft.node.server;

import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Who a server's data directory belongs to: its node id, the address it listens on, and its
 * cluster, kept in {@code <root>/.raft/server.properties} so that a restart with {@code --root}
 * alone comes back as the same node on the same address. Peers know a node by id and dial it at its
 * address, so neither may change while the node is a member.
 *
 * @param id the node id
 * @param address the listening address (host and port)
 * @param clusterId the cluster the data belongs to
 */
public record ServerIdentity(NodeId id, NodeAddress address, String clusterId) {

  private static final String FILE = "server.properties";

  /** The identity stored under {@code root}, if the node has started there before. */
  public static Optional<ServerIdentity> load(Path root) {
    Path file = root.resolve(".raft").resolve(FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String id = p.getProperty("id");
    String host = p.getProperty("host");
    String port = p.getProperty("port");
    String cluster = p.getProperty("cluster-id");
    if (id == null || host == null || port == null || cluster == null) {
      throw new IllegalStateException(
          file
              + " is incomplete (needs id, host, port, cluster-id); restore it or pass --id,"
              + " --host, --port and --cluster-id explicitly");
    }
    try {
      return Optional.of(
          new ServerIdentity(
              NodeId.of(id), NodeAddress.of(host, Integer.parseInt(port.trim())), cluster));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  /** Stores this identity under {@code root}, atomically and durably. */
  public void save(Path root) {
    Path dir = root.resolve(".raft");
    Path file = dir.resolve(FILE);
    Path temp = dir.resolve(FILE + ".tmp");
    Properties p = new Properties();
    p.setProperty("id", id.value());
    p.setProperty("host", address.host());
    p.setProperty("port", Integer.toString(address.port()));
    p.setProperty("cluster-id", clusterId);
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(temp)) {
        p.store(out, "TinyKV node identity: a restart with --root alone reads it");
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
