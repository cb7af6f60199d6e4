package io.tinykv.raft.storage.meta;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.storage.PersistentMeta;
import io.tinykv.raft.storage.format.FieldCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.UUID;

/**
 * The body of the meta file, version 1, big-endian: {@code string cluster id, u64 UUID most
 * significant bits, u64 least significant bits, u64 term, u8 has vote, [string vote], u8 has
 * membership, [membership]} (strings and membership as in {@link FieldCodec}).
 */
final class MetaCodec {

  private MetaCodec() {}

  static byte[] encode(PersistentMeta meta) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      FieldCodec.writeString(out, meta.clusterId());
      out.writeLong(meta.nodeUuid().getMostSignificantBits());
      out.writeLong(meta.nodeUuid().getLeastSignificantBits());
      out.writeLong(meta.term());
      out.writeBoolean(meta.votedFor().isPresent());
      if (meta.votedFor().isPresent()) {
        FieldCodec.writeString(out, meta.votedFor().get().value());
      }
      out.writeBoolean(meta.membership().isPresent());
      if (meta.membership().isPresent()) {
        FieldCodec.writeMembership(out, meta.membership().get());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a body whose checksum was verified.
   *
   * @throws IOException if it does not hold a valid meta (a bug or a foreign file)
   */
  static PersistentMeta decode(byte[] body) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
    String clusterId = FieldCodec.readString(in);
    UUID uuid = new UUID(in.readLong(), in.readLong());
    long term = in.readLong();
    Optional<NodeId> vote =
        in.readBoolean() ? Optional.of(NodeId.of(FieldCodec.readString(in))) : Optional.empty();
    Optional<Membership> membership =
        in.readBoolean() ? Optional.of(FieldCodec.readMembership(in)) : Optional.empty();
    if (in.available() != 0) {
      throw new IOException(in.available() + " unexpected trailing bytes");
    }
    try {
      return new PersistentMeta(clusterId, uuid, term, vote, membership);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
