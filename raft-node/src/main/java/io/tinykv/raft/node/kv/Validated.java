package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;

/**
 * Either a value or the error reply to send the client instead: the outcome of looking a request up
 * ({@link CommandTable#resolve}) and of checking a write before proposing it ({@link
 * WriteParser#parse}).
 */
public sealed interface Validated<T> permits Validated.Valid, Validated.Invalid {

  static <T> Validated<T> valid(T value) {
    return new Valid<>(value);
  }

  static <T> Validated<T> invalid(Reply.ErrorReply error) {
    return new Invalid<>(error);
  }

  boolean isValid();

  /** The value; throws if this is an error. */
  T value();

  /** The error; throws if this is a value. */
  Reply.ErrorReply error();

  record Valid<T>(T value) implements Validated<T> {
    @Override
    public boolean isValid() {
      return true;
    }

    @Override
    public Reply.ErrorReply error() {
      throw new IllegalStateException("valid: " + value);
    }
  }

  record Invalid<T>(Reply.ErrorReply error) implements Validated<T> {
    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public T value() {
      throw new IllegalStateException("invalid: " + error.message());
    }
  }
}
