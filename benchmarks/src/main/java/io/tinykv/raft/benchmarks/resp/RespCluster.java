package io.tinykv.raft.benchmarks.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Talks to TinyKV nodes over RESP for what the benchmark needs besides load: leader, counters. */
final class RespCluster {

  private RespCluster() {}

  static RedisClient client(String host, int port) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder()
                .withHost(host)
                .withPort(port)
                .withTimeout(Duration.ofSeconds(30))
                .build());
    client.setOptions(
        ClientOptions.builder()
            .protocolVersion(ProtocolVersion.RESP2)
            .autoReconnect(false)
            .build());
    return client;
  }

  /** The leader's address as {@code node} knows it ({@code GET_MASTER}), if it knows one. */
  static Optional<String> leaderAddress(String host, int port) {
    RedisClient client = client(host, port);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      List<Object> reply =
          connection
              .sync()
              .dispatch(
                  Keyword.GET_MASTER,
                  new ArrayOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8));
      return reply == null || reply.size() < 2
          ? Optional.empty()
          : Optional.of(String.valueOf(reply.get(1)));
    } catch (RuntimeException e) {
      return Optional.empty();
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** {@code GET_STATUS} as fields ({@code role}, {@code entries_written}, {@code fsyncs}, ...). */
  static Map<String, String> status(String host, int port) {
    return fields(call(host, port, Keyword.GET_STATUS));
  }

  /** {@code INFO} as fields ({@code process_id}, {@code role}, ...). */
  static Map<String, String> info(String host, int port) {
    return fields(call(host, port, Keyword.INFO));
  }

  private static String call(String host, int port, Keyword keyword) {
    RedisClient client = client(host, port);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      return connection
          .sync()
          .dispatch(
              keyword, new ValueOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8));
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static Map<String, String> fields(String report) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : report.split("\r?\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#")) {
        fields.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return fields;
  }

  /** TinyKV's cluster commands, which Lettuce does not know by name. */
  static final class Keyword implements ProtocolKeyword {
    static final Keyword GET_MASTER = new Keyword("GET_MASTER");
    static final Keyword GET_STATUS = new Keyword("GET_STATUS");
    static final Keyword INFO = new Keyword("INFO");

    private final String word;

    private Keyword(String word) {
      this.word = word;
    }

    @Override
    public byte[] getBytes() {
      return word.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
      return word;
    }
  }
}
