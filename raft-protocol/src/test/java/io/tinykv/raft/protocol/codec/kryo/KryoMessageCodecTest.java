package io.tinykv.raft.protocol.codec.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.codec.MessageCodec;
import io.tinykv.raft.protocol.codec.MessageDecodeException;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.PeerMessage;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.testing.SampleMessages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KryoMessageCodecTest {

  private final MessageCodec codec = new KryoMessageCodec();

  static Stream<PeerMessage> samples() {
    return SampleMessages.all().stream();
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everyMessageSurvivesARoundTrip(PeerMessage message) throws MessageDecodeException {
    assertThat(roundTrip(message)).isEqualTo(message);
  }

  @ParameterizedTest
  @MethodSource("samples")
  void heapAndDirectBuffersGiveTheSameBytes(PeerMessage message) {
    ByteBuf heap = Unpooled.buffer();
    ByteBuf direct = Unpooled.directBuffer();
    try {
      codec.encode(message, heap);
      codec.encode(message, direct);
      assertThat(heap).isEqualTo(direct);
    } finally {
      heap.release();
      direct.release();
    }
  }

  @Test
  void samplesCoverEveryMessageType() {
    Set<Class<?>> covered = new HashSet<>();
    SampleMessages.typical().forEach(m -> covered.add(m.getClass()));
    assertThat(covered).containsExactlyInAnyOrderElementsOf(concreteTypes(PeerMessage.class));
    assertThat(SampleMessages.typical()).hasSameSizeAs(covered);
  }

  @Test
  void encodingAppendsAfterExistingBytesAndDecodingReadsOnlyItsSlice()
      throws MessageDecodeException {
    PeerMessage message = SampleMessages.typical().get(2);
    ByteBuf buf = Unpooled.buffer();
    try {
      buf.writeBytes(new byte[] {9, 9, 9});
      codec.encode(message, buf);
      int length = buf.readableBytes() - 3;
      buf.writeByte(7);
      assertThat(codec.decode(buf.slice(3, length))).isEqualTo(message);
    } finally {
      buf.release();
    }
  }

  @Test
  void payloadsArriveInArraysOfTheirOwn() throws MessageDecodeException {
    AppendEntries sent = (AppendEntries) SampleMessages.typical().get(2);
    AppendEntries received = (AppendEntries) roundTrip(sent);
    LogEntry first = received.entries().get(0);
    LogEntry second = received.entries().get(1);
    assertThat(first.payload()).isNotSameAs(sent.entries().get(0).payload());
    assertThat(first.payload()).isNotSameAs(second.payload());
  }

  @Test
  void sizeHintBoundsEveryRaftMessage() {
    for (PeerMessage message : SampleMessages.all()) {
      if (!(message instanceof RaftMessage)) {
        continue;
      }
      ByteBuf buf = Unpooled.buffer();
      try {
        codec.encode(message, buf);
        assertThat(codec.sizeHint(message))
            .as("%s", message.getClass().getSimpleName())
            .isGreaterThanOrEqualTo(buf.readableBytes());
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void oneCodecServesManyThreadsAtOnce() throws Exception {
    KryoMessageCodec shared = new KryoMessageCodec(2);
    List<PeerMessage> samples = SampleMessages.typical();
    List<Callable<Boolean>> tasks = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      tasks.add(
          () -> {
            for (int i = 0; i < 200; i++) {
              for (PeerMessage message : samples) {
                ByteBuf buf = Unpooled.buffer();
                try {
                  shared.encode(message, buf);
                  if (!shared.decode(buf).equals(message)) {
                    return false;
                  }
                } finally {
                  buf.release();
                }
              }
            }
            return true;
          });
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private PeerMessage roundTrip(PeerMessage message) throws MessageDecodeException {
    ByteBuf buf = Unpooled.directBuffer();
    try {
      codec.encode(message, buf);
      PeerMessage decoded = codec.decode(buf);
      assertThat(buf.isReadable()).isFalse();
      return decoded;
    } finally {
      buf.release();
    }
  }

  /** The records and final classes below a sealed interface. */
  static Set<Class<?>> concreteTypes(Class<?> sealed) {
    Set<Class<?>> types = new HashSet<>();
    for (Class<?> sub : sealed.getPermittedSubclasses()) {
      if (sub.isSealed()) {
        types.addAll(concreteTypes(sub));
      } else {
        types.add(sub);
      }
    }
    return types;
  }
}
