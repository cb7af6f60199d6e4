package io.tinykv.raft.node.kv.server;

import io.tinykv.raft.node.api.NodeStatus;
import io.tinykv.raft.node.core.PeerProgress;
import io.tinykv.raft.node.core.RaftStatus;
import io.tinykv.raft.node.kv.StateSummary;
import io.tinykv.raft.node.kv.resp.Reply;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders {@code GET_STATUS} and {@code LIST_NODES} from a node's published status. Only the leader
 * tracks its peers' match index and last contact; other nodes show them as {@code unknown}.
 */
final class StatusReport {

  private static final String UNKNOWN = "unknown";

  private final Function<NodeId, Optional<NodeAddress>> addresses;
  private final int tickMillis;

  StatusReport(Function<NodeId, Optional<NodeAddress>> addresses, int tickMillis) {
    this.addresses = addresses;
    this.tickMillis = tickMillis;
  }

  /**
   * {@code GET_STATUS}: a bulk string of {@code field:value} lines in sections, as INFO prints
   * them. The {@code state_*} fields come from one {@link StateSummary}, so replicas with the same
   * {@code state_applied_index} must show the same {@code state_digest}.
   */
  Reply status(NodeStatus node, StateSummary state) {
    RaftStatus raft = node.raft();
    List<String> lines = new ArrayList<>();
    lines.add("# Raft");
    lines.add("node_id:" + raft.id());
    lines.add("role:" + raft.role().name().toLowerCase(Locale.ROOT));
    lines.add("term:" + raft.term());
    lines.add("leader:" + raft.leader().map(NodeId::toString).orElse("none"));
    lines.add("leader_address:" + raft.leader().map(this::address).orElse(UNKNOWN));
    lines.add("commit_index:" + raft.commitIndex());
    lines.add("applied_index:" + node.appliedIndex());
    lines.add("last_index:" + raft.lastIndex());
    lines.add("persisted_index:" + raft.persistedIndex());
    lines.add("voters:" + ids(raft.membership().voters()));
    lines.add("learners:" + ids(raft.membership().learners()));
    lines.add("joint_consensus:" + (raft.membership().isJoint() ? "yes" : "no"));
    for (NodeId member : raft.membership().allMembers()) {
      Optional<PeerProgress> progress = Optional.ofNullable(raft.progress().get(member));
      lines.add(
          "member:id="
              + member
              + ",address="
              + address(member)
              + ",voter="
              + (raft.membership().isVoter(member) ? "yes" : "no")
              + ",match="
              + progress.map(p -> Long.toString(p.match())).orElse(UNKNOWN));
    }
    lines.add("");
    lines.add("# Log");
    lines.add("entries_written:" + node.entriesWritten());
    lines.add("write_batches:" + node.writeBatches());
    lines.add("fsyncs:" + node.fsyncs());
    lines.add("entries_per_fsync:" + String.format(Locale.ROOT, "%.2f", node.entriesPerFsync()));
    lines.add("");
    lines.add("# State");
    lines.add("state_applied_index:" + state.appliedIndex());
    lines.add("state_keys:" + state.keys());
    lines.add("state_digest:" + state.digestHex());
    return Reply.bulk(String.join("\r\n", lines) + "\r\n");
  }

  /**
   * {@code LIST_NODES}: one bulk string per member, {@code id=a address=h:p voter=yes leader=no
   * self=no match=12 last_contact_ms=30}.
   */
  Reply nodes(RaftStatus raft) {
    List<Reply> nodes = new ArrayList<>();
    for (NodeId member : raft.membership().allMembers()) {
      Optional<PeerProgress> progress = Optional.ofNullable(raft.progress().get(member));
      boolean self = member.equals(raft.id());
      String lastContact =
          self
              ? "self"
              : progress.map(p -> Long.toString(p.ticksSinceHeard() * tickMillis)).orElse(UNKNOWN);
      nodes.add(
          Reply.bulk(
              "id="
                  + member
                  + " address="
                  + address(member)
                  + " role="
                  + role(raft.membership(), member)
                  + " leader="
                  + (raft.leader().filter(member::equals).isPresent() ? "yes" : "no")
                  + " self="
                  + (self ? "yes" : "no")
                  + " match="
                  + progress.map(p -> Long.toString(p.match())).orElse(UNKNOWN)
                  + " last_contact_ms="
                  + lastContact
                  + " reachable="
                  + (self
                      ? "yes"
                      : progress
                          .map(
                              p ->
                                  p.ticksSinceHeard() * tickMillis < REACHABLE_MILLIS
                                      ? "yes"
                                      : "no")
                          .orElse(UNKNOWN))));
    }
    return Reply.array(nodes);
  }

  /** A member heard from within this long counts as reachable (as seen by the leader). */
  private static final long REACHABLE_MILLIS = 2_000;

  /** {@code voter}, {@code learner}, or during a joint change {@code incoming}/{@code outgoing}. */
  private static String role(Membership membership, NodeId member) {
    boolean in = membership.voters().contains(member);
    boolean out = membership.outgoingVoters().contains(member);
    if (!membership.isJoint()) {
      return in ? "voter" : "learner";
    }
    return in && out ? "voter" : in ? "incoming-voter" : out ? "outgoing-voter" : "learner";
  }

  /** The client (and peer) address of {@code id}, or {@code unknown}. */
  String address(NodeId id) {
    return addresses.apply(id).map(NodeAddress::toString).orElse(UNKNOWN);
  }

  private static String ids(Set<NodeId> ids) {
    return ids.stream().map(NodeId::toString).collect(Collectors.joining(","));
  }
}
