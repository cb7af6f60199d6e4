package io.tinykv.raft.protocol.codec.kryo;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.util.Pool;
import io.netty.buffer.ByteBuf;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.MessageCodec;
import io.tinykv.raft.protocol.codec.MessageDecodeException;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.RaftMessage;

/**
 * The {@link MessageCodec} of the peer protocol, built on Kryo (format in the package
 * documentation, ids in {@code KryoRegistrations}).
 *
 * <p>Kryo instances are not thread-safe, so each encode or decode borrows a Kryo, with its input
 * and output buffers, from a pool and returns it afterwards; one codec serves all threads.
 *
 * <p>Copies of entry payloads and snapshot chunks: on encode, one copy from the entry's array into
 * the frame's {@link ByteBuf} (which {@code PeerFrameEncoder} allocates once, at {@link #sizeHint}
 * size, so it does not grow and re-copy); on decode, one copy from the received bytes (which {@code
 * PeerFrameDecoder} accumulates without merging) into the array the decoded entry keeps. Arrays
 * under {@value ByteBufOutput#DIRECT_WRITE_BYTES} bytes pass through Kryo's small staging buffer on
 * the way, an extra copy that costs less than a call.
 */
public final class KryoMessageCodec implements MessageCodec {

  /** Covers the fixed-size fields of any message. */
  private static final int SMALL_MESSAGE_BYTES = 256;

  /** An entry's term, type, timestamp and payload length: at most 10 + 1 + 10 + 5 bytes. */
  private static final int ENTRY_OVERHEAD_BYTES = 26;

  private final Pool<Session> pool;

  /** A codec pooling up to twice as many Kryo instances as there are processors. */
  public KryoMessageCodec() {
    this(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
  }

  /**
   * A codec that keeps up to {@code maxPooled} idle Kryo instances (more are created under load and
   * dropped when returned to a full pool).
   */
  public KryoMessageCodec(int maxPooled) {
    if (maxPooled < 1) {
      throw new IllegalArgumentException("pool size must be >= 1, got " + maxPooled);
    }
    this.pool =
        new Pool<>(true, false, maxPooled) {
          @Override
          protected Session create() {
            return new Session();
          }
        };
  }

  @Override
  public void encode(PeerMessage message, ByteBuf out) {
    Session session = pool.obtain();
    int start = out.writerIndex();
    try {
      session.encode(message, out);
    } catch (RuntimeException e) {
      out.writerIndex(start);
      throw e;
    } finally {
      pool.free(session);
    }
  }

  @Override
  public PeerMessage decode(ByteBuf in) throws MessageDecodeException {
    Session session = pool.obtain();
    try {
      return session.decode(in);
    } finally {
      pool.free(session);
    }
  }

  /**
   * An upper bound for Raft messages (the ones that carry payloads and must not re-copy them); a
   * fixed small size for the others, whose buffer may grow once.
   */
  @Override
  public int sizeHint(PeerMessage message) {
    long hint = SMALL_MESSAGE_BYTES;
    if (message instanceof RaftMessage m) {
      hint += maxBytes(m.from()) + maxBytes(m.to());
    }
    if (message instanceof AppendEntries m) {
      for (LogEntry entry : m.entries()) {
        hint += ENTRY_OVERHEAD_BYTES + entry.payload().length;
      }
    } else if (message instanceof InstallSnapshot m) {
      hint += m.data().length;
      for (NodeId id : m.membership().allMembers()) {
        hint += 2 * maxBytes(id); // a node can be in two of the membership's sets
      }
    }
    return (int) Math.min(hint, Integer.MAX_VALUE);
  }

  /** At most how many bytes an id takes: a length varint and up to 3 UTF-8 bytes per char. */
  private static long maxBytes(NodeId id) {
    return 5 + 3L * id.value().length();
  }

  /** One Kryo with its buffers: the unit borrowed from the pool. */
  private static final class Session implements Pool.Poolable {

    private final Kryo kryo = KryoRegistrations.newKryo();
    private final ByteBufOutput output = new ByteBufOutput();
    private final ByteBufInput input = new ByteBufInput();

    void encode(PeerMessage message, ByteBuf out) {
      Registration registration = kryo.getRegistration(message.getClass());
      output.setTarget(out);
      output.writeVarInt(registration.getId(), true);
      kryo.writeObject(output, message);
      output.flush();
    }

    PeerMessage decode(ByteBuf in) throws MessageDecodeException {
      input.setSource(in);
      PeerMessage message;
      try {
        int id = input.readVarInt(true);
        Registration registration = kryo.getRegistration(id);
        Class<?> type = registration == null ? null : registration.getType();
        if (type == null || !PeerMessage.class.isAssignableFrom(type)) {
          throw new MessageDecodeException("unknown message type id " + id);
        }
        message = kryo.readObject(input, type.asSubclass(PeerMessage.class));
      } catch (RuntimeException e) {
        throw new MessageDecodeException("undecodable message: " + e.getMessage(), e);
      }
      if (input.remaining() > 0) {
        throw new MessageDecodeException(
            input.remaining() + " unexpected bytes after " + message.getClass().getSimpleName());
      }
      return message;
    }

    @Override
    public void reset() {
      output.setTarget(null);
      input.setSource(null);
      kryo.reset();
    }
  }
}
