package io.tinykv.raft.storage.format;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeId;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Field encodings shared by the metadata and snapshot formats, all big-endian:
 *
 * <ul>
 *   <li>string: u16 byte length, then that many bytes of UTF-8;
 *   <li>node set: u16 count, then that many strings (node ids, sorted);
 *   <li>membership: node sets of voters, outgoing voters, learners, in that order.
 * </ul>
 */
public final class FieldCodec {

  private static final int MAX_STRING_BYTES = 0xFFFF;

  private FieldCodec() {}

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

  public static void writeMembership(DataOutput out, Membership membership) throws IOException {
    writeNodes(out, membership.voters());
    writeNodes(out, membership.outgoingVoters());
    writeNodes(out, membership.learners());
  }

  public static Membership readMembership(DataInput in) throws IOException {
    Set<NodeId> voters = readNodes(in);
    Set<NodeId> outgoing = readNodes(in);
    return new Membership(voters, outgoing, readNodes(in));
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
