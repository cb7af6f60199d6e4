package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.tinykv.raft.protocol.Endpoint;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.WireCoded;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The field encodings shared by the message serializers. Readers throw an unchecked exception on
 * anything invalid; the codec turns it into a decode error.
 *
 * <pre>
 * non-negative long   varint (Kryo, optimizePositive)
 * signed long         zig-zag varint
 * boolean             one byte, 0 or 1 (anything else is invalid)
 * enum                its one-byte {@link WireCoded} code
 * bytes               varint length, then the bytes
 * string, node id     bytes of its UTF-8 form (malformed UTF-8 is invalid)
 * set of node ids     varint count, then the ids
 * membership          voters, outgoing voters, learners (three sets)
 * address             host string, varint port
 * endpoint            node id, address
 * optional value      boolean present, then the value if present
 * UUID                most, then least significant 64 bits (fixed width)
 * </pre>
 */
final class Wire {

  private Wire() {}

  static void writeBoolean(Output out, boolean value) {
    out.writeByte(value ? 1 : 0);
  }

  static boolean readBoolean(ByteBufInput in) {
    byte b = in.readByte();
    if (b != 0 && b != 1) {
      throw new KryoException("invalid boolean byte " + b);
    }
    return b == 1;
  }

  static <E extends Enum<E> & WireCoded> void writeCode(Output out, E constant) {
    out.writeByte(constant.code());
  }

  static <E extends Enum<E> & WireCoded> E readCode(ByteBufInput in, Class<E> type) {
    return WireCoded.fromCode(type, in.readByte());
  }

  static void writeBytes(Output out, byte[] bytes) {
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes, 0, bytes.length);
  }

  /**
   * Reads a length-prefixed byte array into a new array: the one copy a payload makes on decode.
   */
  static byte[] readBytes(ByteBufInput in) {
    int length = readCount(in);
    byte[] bytes = new byte[length];
    in.readBytes(bytes, 0, length);
    return bytes;
  }

  /**
   * Reads a length or element count, which can never exceed the bytes left (every element takes at
   * least one byte); checked before anything is allocated for it.
   */
  static int readCount(ByteBufInput in) {
    int count = in.readVarInt(true);
    if (count < 0 || count > in.remaining()) {
      throw new KryoException(
          "length " + count + " is impossible with " + in.remaining() + " bytes left");
    }
    return count;
  }

  static void writeString(Output out, String value) {
    writeBytes(out, value.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(ByteBufInput in) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(readBytes(in))).toString();
    } catch (CharacterCodingException e) {
      throw new KryoException("malformed UTF-8 string", e);
    }
  }

  static void writeNodeId(Output out, NodeId id) {
    writeString(out, id.value());
  }

  static NodeId readNodeId(ByteBufInput in) {
    return NodeId.of(readString(in));
  }

  static void writeMembership(Output out, Membership membership) {
    writeNodeIds(out, membership.voters());
    writeNodeIds(out, membership.outgoingVoters());
    writeNodeIds(out, membership.learners());
    out.writeVarInt(membership.addresses().size(), true);
    membership
        .addresses()
        .forEach(
            (id, address) -> {
              writeNodeId(out, id);
              writeAddress(out, address);
            });
  }

  static Membership readMembership(ByteBufInput in) {
    Set<NodeId> voters = readNodeIds(in);
    Set<NodeId> outgoing = readNodeIds(in);
    Set<NodeId> learners = readNodeIds(in);
    int count = readCount(in);
    Map<NodeId, NodeAddress> addresses = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      addresses.put(readNodeId(in), readAddress(in));
    }
    return new Membership(voters, outgoing, learners, addresses);
  }

  static void writeAddress(Output out, NodeAddress address) {
    writeString(out, address.host());
    out.writeVarInt(address.port(), true);
  }

  static NodeAddress readAddress(ByteBufInput in) {
    return NodeAddress.of(readString(in), in.readVarInt(true));
  }

  static void writeEndpoint(Output out, Endpoint endpoint) {
    writeNodeId(out, endpoint.id());
    writeAddress(out, endpoint.address());
  }

  static Endpoint readEndpoint(ByteBufInput in) {
    return Endpoint.of(readNodeId(in), readAddress(in));
  }

  static void writeUuid(Output out, UUID uuid) {
    out.writeLong(uuid.getMostSignificantBits());
    out.writeLong(uuid.getLeastSignificantBits());
  }

  static UUID readUuid(ByteBufInput in) {
    return new UUID(in.readLong(), in.readLong());
  }

  static <T> void writeOptional(Output out, Optional<T> value, BiConsumer<Output, T> writer) {
    writeBoolean(out, value.isPresent());
    value.ifPresent(v -> writer.accept(out, v));
  }

  static <T> Optional<T> readOptional(ByteBufInput in, Function<ByteBufInput, T> reader) {
    return readBoolean(in) ? Optional.of(reader.apply(in)) : Optional.empty();
  }

  private static void writeNodeIds(Output out, Set<NodeId> ids) {
    out.writeVarInt(ids.size(), true);
    for (NodeId id : ids) {
      writeNodeId(out, id);
    }
  }

  private static Set<NodeId> readNodeIds(ByteBufInput in) {
    int count = readCount(in);
    Set<NodeId> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      if (!ids.add(readNodeId(in))) {
        throw new KryoException("duplicate node id in a set");
      }
    }
    return ids;
  }
}
