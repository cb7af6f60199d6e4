package io.tinykv.raft.benchmarks.resp;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.tinykv.raft.benchmarks.load.LoadTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SET and GET over RESP through Lettuce: {@code connections} connections to one node, requests
 * spread round-robin, so each connection pipelines about {@code C / connections} of them.
 */
final class RespTarget implements LoadTarget, AutoCloseable {

  private final RedisClient client;
  private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();
  private final List<RedisAsyncCommands<byte[], byte[]>> commands = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();

  RespTarget(String host, int port, int connectionCount) {
    this.client = RespCluster.client(host, port);
    try {
      for (int i = 0; i < connectionCount; i++) {
        StatefulRedisConnection<byte[], byte[]> connection =
            client.connect(ByteArrayCodec.INSTANCE);
        connections.add(connection);
        commands.add(connection.async());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private RedisAsyncCommands<byte[], byte[]> pick() {
    return commands.get(Math.floorMod(next.getAndIncrement(), commands.size()));
  }

  @Override
  public CompletionStage<?> write(byte[] key, byte[] value) {
    return pick().set(key, value);
  }

  @Override
  public CompletionStage<?> read(byte[] key) {
    return pick().get(key);
  }

  @Override
  public void close() {
    for (StatefulRedisConnection<byte[], byte[]> connection : connections) {
      connection.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
