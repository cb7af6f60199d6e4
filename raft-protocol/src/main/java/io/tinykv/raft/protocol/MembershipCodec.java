package io.tinykv.raft.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The explicit binary form of a {@link Membership}, shared by configuration log entries and the
 * on-disk metadata and snapshot formats (Kryo is for the wire only). Big-endian:
 *
 * <pre>
 * node set:   u16 count, then that many strings (node ids, sorted)
 * string:     u16 byte length, then that many bytes of UTF-8
 * membership: node sets of voters, outgoing voters and learners, then u16 address count and that
 *             many (string node id, string host, u16 port)
 * </pre>
 *
 * A configuration entry's payload is one version byte ({@value #ENTRY_VERSION}) followed by a
 * membership.
 */
public final class MembershipCodec {

  /** The version byte that starts a configuration entry's payload. */
  public static final byte ENTRY_VERSION = 1;

  private static final int MAX_STRING_BYTES = 0xFFFF;

  private MembershipCodec() {}

  /** The payload of a configuration entry announcing {@code membership}. */
  public static byte[] encodeEntry(Membership membership) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(ENTRY_VERSION);
      write(out, membership);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen in memory
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a configuration entry's payload.
   *
   * @throws IllegalArgumentException if it is not a well-formed membership of a known version
   */
  public static Membership decodeEntry(byte[] payload) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
      int version = in.readUnsignedByte();
      if (version != ENTRY_VERSION) {
        throw new IllegalArgumentException(
            "configuration entry of unknown format version " + version);
      }
      Membership membership = read(in);
      if (in.available() > 0) {
        throw new IllegalArgumentException(
            "configuration entry has " + in.available() + " trailing bytes");
      }
      return membership;
    } catch (EOFException e) {
      throw new IllegalArgumentException("configuration entry is truncated", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(DataOutput out, Membership membership) throws IOException {
    writeNodes(out, membership.voters());
    writeNodes(out, membership.outgoingVoters());
    writeNodes(out, membership.learners());
    out.writeShort(membership.addresses().size());
    for (Map.Entry<NodeId, NodeAddress> e : membership.addresses().entrySet()) {
      writeString(out, e.getKey().value());
      writeString(out, e.getValue().host());
      out.writeShort(e.getValue().port());
    }
  }

  /**
   * Reads a membership written by {@link #write}.
   *
   * @throws IllegalArgumentException if the fields do not form a valid membership
   */
  public static Membership read(DataInput in) throws IOException {
    Set<NodeId> voters = readNodes(in);
    Set<NodeId> outgoing = readNodes(in);
    Set<NodeId> learners = readNodes(in);
    int count = in.readUnsignedShort();
    Map<NodeId, NodeAddress> addresses = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      NodeId id = NodeId.of(readString(in));
      addresses.put(id, NodeAddress.of(readString(in), in.readUnsignedShort()));
    }
    return new Membership(voters, outgoing, learners, addresses);
  }

  public static void writeString(DataOutput out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string too long to store: " + bytes.length + " bytes");
    }
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  public static String readString(DataInput in) throws IOException {
    byte[] bytes = new byte[in.readUnsignedShort()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static void writeNodes(DataOutput out, Set<NodeId> nodes) throws IOException {
    out.writeShort(nodes.size());
    for (NodeId node : nodes) {
      writeString(out, node.value());
    }
  }

  private static Set<NodeId> readNodes(DataInput in) throws IOException {
    int count = in.readUnsignedShort();
    Set<NodeId> nodes = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) {
      nodes.add(NodeId.of(readString(in)));
    }
    return nodes;
  }
}
