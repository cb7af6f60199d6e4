package io.tinykv.raft.benchmarks.ring;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raft ring's shape under load: two producer threads (as Netty I/O threads and clients are)
 * publishing into one multi-producer Disruptor ring of {@code ringSize} slots with {@code
 * tryPublishEvent}, as {@code DefaultRaftNode} does, and one consumer thread (the consensus thread)
 * that sees events in batches. Per wait strategy: how many publishes per second get through (the
 * {@code delivered} rate), how many are refused because the ring is full ({@code refused}; the
 * primary score counts both), and the consumer's mean batch size (its group-commit opportunity;
 * printed after each iteration). On two cores the busy-spinning strategies compete with the
 * producers for CPU.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(2)
public class RaftRingBenchmark {

  /** The ring, shared by the producer threads. */
  @State(Scope.Benchmark)
  public static class Ring {
    @Param({"blocking", "liteBlocking", "sleeping", "yielding"})
    public String waitStrategy;

    @Param({"1024", "65536"})
    public int ringSize;

    Disruptor<Slot> disruptor;
    RingBuffer<Slot> ring;
    final AtomicLong consumed = new AtomicLong();
    final AtomicLong batches = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
      disruptor =
          new Disruptor<>(
              Slot::new,
              ringSize,
              r -> {
                Thread t = new Thread(r, "bench-consumer");
                t.setDaemon(true);
                return t;
              },
              ProducerType.MULTI,
              strategy(waitStrategy));
      disruptor.handleEventsWith(new Consumer(this));
      ring = disruptor.start();
    }

    /** The consumer's mean batch, printed with the iteration's result. */
    @TearDown(Level.Iteration)
    public void report() {
      long b = batches.getAndSet(0);
      long c = consumed.getAndSet(0);
      System.out.printf(
          java.util.Locale.ROOT,
          "(mean consumer batch %.1f events)%n",
          b == 0 ? 0.0 : (double) c / b);
    }

    @TearDown(Level.Trial)
    public void stop() {
      disruptor.halt();
    }
  }

  static WaitStrategy strategy(String name) {
    return switch (name) {
      case "blocking" -> new BlockingWaitStrategy();
      case "liteBlocking" -> new LiteBlockingWaitStrategy();
      case "sleeping" -> new SleepingWaitStrategy();
      case "yielding" -> new YieldingWaitStrategy();
      default -> throw new IllegalArgumentException("unknown wait strategy " + name);
    };
  }

  /** A slot, reused by the ring: what a raft-ring event carries is one reference. */
  static final class Slot {
    Object command;
  }

  /** The consensus thread's stand-in: takes each event, counts batches. */
  static final class Consumer implements EventHandler<Slot> {
    private final Ring ring;
    private long sum;

    Consumer(Ring ring) {
      this.ring = ring;
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
      sum += slot.command.hashCode();
      slot.command = null;
      ring.consumed.incrementAndGet();
      if (endOfBatch) {
        ring.batches.incrementAndGet();
      }
    }

    @Override
    public String toString() {
      return "consumer(" + sum + ")";
    }
  }

  /**
   * Publishes that got a slot ({@code delivered}) and those refused because the ring was full, as
   * rates next to the score (which counts both).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Outcome {
    public long delivered;
    public long refused;

    @Setup(Level.Iteration)
    public void reset() {
      delivered = 0;
      refused = 0;
    }
  }

  private static final Object COMMAND = new Object();

  @Benchmark
  public boolean publish(Ring ring, Outcome outcome) {
    boolean published = ring.ring.tryPublishEvent((slot, seq, c) -> slot.command = c, COMMAND);
    if (published) {
      outcome.delivered++;
    } else {
      outcome.refused++;
    }
    return published;
  }
}
