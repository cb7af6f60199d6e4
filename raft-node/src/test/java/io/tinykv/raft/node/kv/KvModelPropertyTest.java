package io.tinykv.raft.node.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.node.kv.resp.RespRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random command sequences, the same for {@link KvStateMachine} and a naive model over a {@code
 * HashMap<String, String>} written from the Redis documentation: every reply must agree, and the
 * incrementally kept digest must equal that of a state built from scratch. Every few hundred steps
 * the state machine is replaced by a restore of its own snapshot. A failure names its seed; the
 * parameterized case of that seed replays it.
 */
class KvModelPropertyTest {

  private static final int STEPS = 1_500;
  private static final Pattern REDIS_INTEGER = Pattern.compile("0|-?[1-9][0-9]*");
  private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final List<String> VALUES =
      List.of(
          "0",
          "1",
          "-1",
          "17",
          "abc",
          "",
          "01",
          "-0",
          " 5",
          "1.5",
          "9223372036854775807",
          "-9223372036854775808",
          "9223372036854775806",
          "-9223372036854775807",
          "x y");
  private static final List<String> DELTAS =
      List.of("1", "-1", "0", "100", "-100", "9223372036854775807", "-9223372036854775808");

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void stateMachineAgreesWithTheModel(long seed) throws IOException {
    Random random = new Random(seed);
    WriteParser parser = new WriteParser(KvLimits.DEFAULTS);
    KvStateMachine kv = new KvStateMachine();
    Map<String, String> model = new HashMap<>();
    long index = 0;
    for (int step = 0; step < STEPS; step++) {
      List<String> args = randomCommand(random);
      CommandCall call = CommandTable.resolve(request(args)).value();
      Reply actual;
      if (call.command().kind() == CommandKind.WRITE) {
        Validated<WriteOp> op = parser.parse(call);
        actual = op.isValid() ? kv.apply(++index, op.value().encode()) : op.error();
      } else {
        actual = kv.read(call);
      }
      assertThat(actual)
          .as("seed %d, step %d: %s", seed, step, args)
          .isEqualTo(expected(model, args));
      if (step % 300 == 299) {
        kv = restored(kv);
      }
    }
    assertThat(kv.digest()).as("seed %d: digest", seed).isEqualTo(fromScratch(model).digest());
    assertThat(kv.summary().keys()).isEqualTo(model.size());
  }

  private static List<String> randomCommand(Random random) {
    String key = "k" + random.nextInt(8);
    String value = VALUES.get(random.nextInt(VALUES.size()));
    switch (random.nextInt(11)) {
      case 0 -> {
        List<String> set = new ArrayList<>(List.of("SET", key, value));
        int condition = random.nextInt(4);
        if (condition == 1) {
          set.add("NX");
        } else if (condition == 2) {
          set.add("xx");
        }
        if (random.nextBoolean()) {
          set.add("GET");
        }
        return set;
      }
      case 1 -> {
        return List.of("DEL", key, "k" + random.nextInt(8));
      }
      case 2 -> {
        return List.of("INCR", key);
      }
      case 3 -> {
        return List.of("DECR", key);
      }
      case 4 -> {
        return List.of("INCRBY", key, DELTAS.get(random.nextInt(DELTAS.size())));
      }
      case 5 -> {
        return List.of("MSET", key, value, "k" + random.nextInt(8), "v" + random.nextInt(3));
      }
      case 6 -> {
        return List.of("GET", key);
      }
      case 7 -> {
        return List.of("MGET", key, "k" + random.nextInt(8));
      }
      case 8 -> {
        return List.of("EXISTS", key, key, "k" + random.nextInt(8));
      }
      case 9 -> {
        return List.of("DBSIZE");
      }
      default -> {
        return List.of("SET", key, value);
      }
    }
  }

  /** What Redis answers, computed the simplest way. */
  private static Reply expected(Map<String, String> model, List<String> args) {
    String name = args.get(0);
    switch (name) {
      case "SET" -> {
        List<String> options =
            args.subList(3, args.size()).stream().map(o -> o.toUpperCase(Locale.ROOT)).toList();
        String old = model.get(args.get(1));
        boolean write =
            options.contains("NX") ? old == null : !options.contains("XX") || old != null;
        if (write) {
          model.put(args.get(1), args.get(2));
        }
        if (options.contains("GET")) {
          return old == null ? Reply.NULL_BULK : Reply.bulk(old);
        }
        return write ? Reply.OK : Reply.NULL_BULK;
      }
      case "DEL" -> {
        int removed = 0;
        for (String key : args.subList(1, args.size())) {
          removed += model.remove(key) != null ? 1 : 0;
        }
        return Reply.integer(removed);
      }
      case "INCR", "DECR", "INCRBY" -> {
        String delta = name.equals("INCR") ? "1" : name.equals("DECR") ? "-1" : args.get(2);
        String current = model.getOrDefault(args.get(1), "0");
        if (!isInteger(current) || !isInteger(delta)) {
          return Reply.err("value is not an integer or out of range");
        }
        BigInteger sum = new BigInteger(current).add(new BigInteger(delta));
        if (sum.compareTo(MIN) < 0 || sum.compareTo(MAX) > 0) {
          return Reply.err("increment or decrement would overflow");
        }
        model.put(args.get(1), sum.toString());
        return Reply.integer(sum.longValueExact());
      }
      case "MSET" -> {
        for (int i = 1; i < args.size(); i += 2) {
          model.put(args.get(i), args.get(i + 1));
        }
        return Reply.OK;
      }
      case "GET" -> {
        return value(model, args.get(1));
      }
      case "MGET" -> {
        List<Reply> values = new ArrayList<>();
        for (String key : args.subList(1, args.size())) {
          values.add(value(model, key));
        }
        return Reply.array(values);
      }
      case "EXISTS" -> {
        return Reply.integer(
            args.subList(1, args.size()).stream().filter(model::containsKey).count());
      }
      default -> {
        return Reply.integer(model.size());
      }
    }
  }

  private static boolean isInteger(String text) {
    if (!REDIS_INTEGER.matcher(text).matches()) {
      return false;
    }
    BigInteger value = new BigInteger(text);
    return value.compareTo(MIN) >= 0 && value.compareTo(MAX) <= 0;
  }

  private static Reply value(Map<String, String> model, String key) {
    String value = model.get(key);
    return value == null ? Reply.NULL_BULK : Reply.bulk(value);
  }

  private static KvStateMachine restored(KvStateMachine kv) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    kv.snapshot(out);
    KvStateMachine copy = new KvStateMachine();
    copy.restore(new ByteArrayInputStream(out.toByteArray()));
    return copy;
  }

  private static KvStateMachine fromScratch(Map<String, String> model) {
    KvStateMachine kv = new KvStateMachine();
    long index = 0;
    for (Map.Entry<String, String> pair : model.entrySet()) {
      kv.apply(++index, KvTesting.command("SET", pair.getKey(), pair.getValue()));
    }
    return kv;
  }

  private static RespRequest request(List<String> args) {
    byte[][] bytes = new byte[args.size()][];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = args.get(i).getBytes(StandardCharsets.UTF_8);
    }
    return RespRequest.of(bytes);
  }
}
