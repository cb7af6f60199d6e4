package io.tinykv.raft.storage;

import io.tinykv.raft.protocol.Membership;
import java.util.Objects;

/**
 * What a snapshot stands for: the state after applying every entry up to {@code lastIndex}, whose
 * term is {@code lastTerm}, and the membership in force at that point (Raft paper, section 7).
 */
public record SnapshotMeta(long lastIndex, long lastTerm, Membership membership) {

  public SnapshotMeta {
    Objects.requireNonNull(membership, "membership");
    if (lastIndex < 1 || lastTerm < 1) {
      throw new IllegalArgumentException(
          "a snapshot covers at least one entry: index " + lastIndex + ", term " + lastTerm);
    }
  }
}
