package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.RedisIntegers;
import io.tinykv.raft.node.kv.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Turns a resolved write command into a {@link WriteOp}, or the error to reply without proposing: a
 * SET option that is wrong or unsupported, an INCRBY increment that is not an integer, a key or
 * value over the {@link KvLimits}. The server calls it before proposing; what can only be decided
 * against the state (INCR of a non-integer value) is left to {@link KvStateMachine#apply}.
 *
 * <p>Stateless apart from its limits; safe to share between threads.
 */
public final class WriteParser {

  static final Reply.ErrorReply EXPIRY_NOT_SUPPORTED =
      Reply.err("SET expiry options (EX, PX, EXAT, PXAT) are not supported: keys do not expire");

  private final KvLimits limits;

  public WriteParser(KvLimits limits) {
    this.limits = limits;
  }

  /** The write {@code call} asks for, checked; throws if {@code call} is not a write command. */
  public Validated<WriteOp> parse(CommandCall call) {
    return switch (call.command()) {
      case SET -> set(call);
      case DEL -> Validated.valid(new WriteOp.Del(args(call, 1, 1)));
      case INCR -> incrBy(call, 1);
      case DECR -> incrBy(call, -1);
      case INCRBY -> {
        OptionalLong delta = RedisIntegers.parse(call.request().arg(2));
        yield delta.isPresent()
            ? incrBy(call, delta.getAsLong())
            : Validated.invalid(Errors.NOT_AN_INTEGER);
      }
      case MSET -> mset(call);
      default -> throw new IllegalArgumentException(call.command() + " is not a write command");
    };
  }

  private Validated<WriteOp> set(CommandCall call) {
    WriteOp.Condition condition = WriteOp.Condition.ALWAYS;
    boolean returnOld = false;
    for (int i = 3; i <= call.argCount(); i++) {
      String option = call.request().keyword(i);
      switch (option) {
        case "NX", "XX" -> {
          WriteOp.Condition wanted =
              option.equals("NX") ? WriteOp.Condition.IF_ABSENT : WriteOp.Condition.IF_PRESENT;
          if (condition != WriteOp.Condition.ALWAYS && condition != wanted) {
            return Validated.invalid(Errors.SYNTAX);
          }
          condition = wanted;
        }
        case "GET" -> returnOld = true;
        case "KEEPTTL" -> {
          // Keys never expire here, so keeping a key's time to live is what SET always does.
        }
        case "EX", "PX", "EXAT", "PXAT" -> {
          return Validated.invalid(EXPIRY_NOT_SUPPORTED);
        }
        default -> {
          return Validated.invalid(Errors.SYNTAX);
        }
      }
    }
    Bytes key = Bytes.wrap(call.arg(1));
    Bytes value = Bytes.wrap(call.arg(2));
    Reply.ErrorReply tooLarge = checkPair(key, value);
    return tooLarge != null
        ? Validated.invalid(tooLarge)
        : Validated.valid(new WriteOp.Set(key, value, condition, returnOld));
  }

  private Validated<WriteOp> incrBy(CommandCall call, long delta) {
    Bytes key = Bytes.wrap(call.arg(1));
    Reply.ErrorReply tooLarge = checkKey(key);
    return tooLarge != null
        ? Validated.invalid(tooLarge)
        : Validated.valid(new WriteOp.IncrBy(key, delta));
  }

  private Validated<WriteOp> mset(CommandCall call) {
    List<Bytes> keys = args(call, 1, 2);
    List<Bytes> values = args(call, 2, 2);
    for (int i = 0; i < keys.size(); i++) {
      Reply.ErrorReply tooLarge = checkPair(keys.get(i), values.get(i));
      if (tooLarge != null) {
        return Validated.invalid(tooLarge);
      }
    }
    return Validated.valid(new WriteOp.MSet(keys, values));
  }

  /** The error for a key or value over its limit, or null if both are within. */
  private Reply.ErrorReply checkPair(Bytes key, Bytes value) {
    Reply.ErrorReply tooLarge = checkKey(key);
    return tooLarge != null ? tooLarge : checkSize("value", value, limits.maxValueBytes());
  }

  private Reply.ErrorReply checkKey(Bytes key) {
    return checkSize("key", key, limits.maxKeyBytes());
  }

  private static Reply.ErrorReply checkSize(String what, Bytes bytes, int limit) {
    return bytes.length() <= limit
        ? null
        : Reply.err(
            what
                + " is too large ("
                + bytes.length()
                + " bytes; the limit is "
                + limit
                + " bytes)");
  }

  /** Arguments {@code from}, {@code from + step}, ... to the end. */
  private static List<Bytes> args(CommandCall call, int from, int step) {
    List<Bytes> args = new ArrayList<>();
    for (int i = from; i <= call.argCount(); i += step) {
      args.add(Bytes.wrap(call.arg(i)));
    }
    return args;
  }
}
