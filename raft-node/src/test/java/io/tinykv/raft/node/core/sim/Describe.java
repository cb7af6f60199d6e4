package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.ProposeResult;
import io.tinykv.raft.node.core.Ready;
import io.tinykv.raft.protocol.EntryType;
import io.tinykv.raft.protocol.LogEntry;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.message.AppendEntries;
import io.tinykv.raft.protocol.message.AppendEntriesResponse;
import io.tinykv.raft.protocol.message.Heartbeat;
import io.tinykv.raft.protocol.message.HeartbeatResponse;
import io.tinykv.raft.protocol.message.InstallSnapshot;
import io.tinykv.raft.protocol.message.InstallSnapshotResponse;
import io.tinykv.raft.protocol.message.RaftMessage;
import io.tinykv.raft.protocol.message.ReadIndex;
import io.tinykv.raft.protocol.message.ReadIndexResponse;
import io.tinykv.raft.protocol.message.RequestVote;
import io.tinykv.raft.protocol.message.RequestVoteResponse;
import io.tinykv.raft.protocol.message.TimeoutNow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Short one-line renderings of messages and entries for traces and failure messages. */
final class Describe {

  private Describe() {}

  /** Formats a trace detail lazily: only the lines that end up printed are ever formatted. */
  static String detail(Object detail) {
    if (detail instanceof RaftMessage m) {
      return message(m);
    }
    if (detail instanceof LogEntry e) {
      return entry(e);
    }
    return String.valueOf(detail);
  }

  static String message(RaftMessage m) {
    String head = m.from() + "->" + m.to() + " t" + m.term();
    if (m instanceof AppendEntries a) {
      return "Append "
          + head
          + " prev="
          + a.prevLogIndex()
          + "@"
          + a.prevLogTerm()
          + " "
          + entries(a.entries())
          + " commit="
          + a.leaderCommit();
    }
    if (m instanceof AppendEntriesResponse r) {
      return r.success()
          ? "AppendOk " + head + " index=" + r.index()
          : "AppendReject "
              + head
              + " index="
              + r.index()
              + " hint="
              + r.hintIndex()
              + "@"
              + r.hintTerm();
    }
    if (m instanceof RequestVote v) {
      return (v.preVote() ? "PreVote " : "Vote ")
          + head
          + " last="
          + v.lastLogIndex()
          + "@"
          + v.lastLogTerm()
          + (v.leadershipTransfer() ? " transfer" : "");
    }
    if (m instanceof RequestVoteResponse r) {
      return (r.preVote() ? "PreVoteResp " : "VoteResp ")
          + head
          + (r.granted() ? " granted" : " rejected");
    }
    if (m instanceof Heartbeat h) {
      return "Heartbeat " + head + " commit=" + h.commit() + " ctx=" + h.readContext();
    }
    if (m instanceof HeartbeatResponse h) {
      return "HeartbeatResp " + head + " ctx=" + h.readContext();
    }
    if (m instanceof ReadIndex r) {
      return "ReadIndex " + head + " req=" + r.requestId();
    }
    if (m instanceof ReadIndexResponse r) {
      return "ReadIndexResp "
          + head
          + " req="
          + r.requestId()
          + (r.success() ? " index=" + r.readIndex() : " refused");
    }
    if (m instanceof TimeoutNow) {
      return "TimeoutNow " + head;
    }
    if (m instanceof InstallSnapshot s) {
      return "InstallSnapshot "
          + head
          + " snapshot="
          + s.lastIncludedIndex()
          + "@"
          + s.lastIncludedTerm()
          + " "
          + membership(s.membership());
    }
    if (m instanceof InstallSnapshotResponse r) {
      return "InstallSnapshotResp "
          + head
          + " snapshot="
          + r.lastIncludedIndex()
          + (r.success() ? " ok" : " failed");
    }
    return m.toString();
  }

  /** A configuration as "{n1 n2 n3}", joint as "{n1 n2 n4}&{n1 n2 n3}", learners as "+l{n5}". */
  static String membership(Membership m) {
    StringBuilder s = new StringBuilder(ids(m.voters()));
    if (m.isJoint()) {
      s.append('&').append(ids(m.outgoingVoters()));
    }
    if (!m.learners().isEmpty()) {
      s.append("+l").append(ids(m.learners()));
    }
    return s.toString();
  }

  private static String ids(Set<NodeId> ids) {
    StringBuilder s = new StringBuilder("{");
    for (NodeId id : ids) {
      s.append(s.length() == 1 ? "" : " ").append(id);
    }
    return s.append('}').toString();
  }

  /** A ready as the trace shows it: number, hard state, entries to persist and to apply. */
  static String ready(Ready r) {
    StringBuilder s = new StringBuilder("#").append(r.number());
    r.hardState()
        .ifPresent(
            h ->
                s.append(" hs=t")
                    .append(h.term())
                    .append('/')
                    .append(h.votedFor().map(NodeId::toString).orElse("-")));
    if (!r.entries().isEmpty()) {
      s.append(" entries=").append(Describe.entries(r.entries()));
    }
    if (!r.committedEntries().isEmpty()) {
      s.append(" apply=").append(Describe.entries(r.committedEntries()));
    }
    r.snapshot()
        .ifPresent(
            m ->
                s.append(" install=")
                    .append(m.lastIndex())
                    .append('@')
                    .append(m.lastTerm())
                    .append(membership(m.membership())));
    if (r.compactIndex() > 0) {
      s.append(" compact=").append(r.compactIndex());
    }
    if (!r.snapshotRequests().isEmpty()) {
      s.append(" send-snapshot-to=");
      r.snapshotRequests().forEach(q -> s.append(q.to()).append(' '));
    }
    return s.toString().trim();
  }

  static String entries(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return "[]";
    }
    if (entries.size() == 1) {
      return "[" + entry(entries.get(0)) + "]";
    }
    return "["
        + entry(entries.get(0))
        + " .. "
        + entry(entries.get(entries.size() - 1))
        + "]("
        + entries.size()
        + ")";
  }

  static String entry(LogEntry e) {
    String content =
        e.type() == EntryType.COMMAND
            ? payload(e.payload())
            : e.type() == EntryType.CONFIGURATION
                ? "config" + membership(MembershipCodec.decodeEntry(e.payload()))
                : e.type().name().toLowerCase(Locale.ROOT);
    return e.index() + "@" + e.term() + ":" + content;
  }

  /** Simulation payloads are ASCII; ISO-8859-1 maps any byte to one char, so this is lossless. */
  static String payload(byte[] payload) {
    return new String(payload, StandardCharsets.ISO_8859_1);
  }

  static byte[] bytes(String payload) {
    return payload.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String result(ProposeResult result) {
    if (result instanceof ProposeResult.Accepted a) {
      return "accepted at " + a.index() + "@" + a.term();
    }
    ProposeResult.Rejected r = (ProposeResult.Rejected) result;
    return "rejected " + r.reason() + r.leaderHint().map(h -> " (leader " + h + ")").orElse("");
  }

  static String time(long time) {
    return (time / World.TICK) + "." + (time % World.TICK);
  }
}
