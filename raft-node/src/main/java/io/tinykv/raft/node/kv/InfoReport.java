package io.tinykv.raft.node.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code INFO [section ...]}: Redis's {@code # Section} blocks of {@code field:value}
 * lines, with the sections Redis tools read (server, clients, replication, keyspace) and the Raft
 * fields under replication.
 */
public final class InfoReport {

  private static final List<String> SECTIONS =
      List.of("server", "clients", "replication", "keyspace");

  private InfoReport() {}

  /**
   * The report of the named sections (any case); all of them when {@code sections} is empty or
   * names {@code all}, {@code default} or {@code everything}. Unknown names are ignored, so the
   * report may be empty, as in Redis.
   */
  public static String render(ServerInfo info, List<String> sections) {
    List<String> wanted = new ArrayList<>();
    for (String section : sections) {
      wanted.add(section.toLowerCase(Locale.ROOT));
    }
    boolean all =
        wanted.isEmpty()
            || wanted.contains("all")
            || wanted.contains("default")
            || wanted.contains("everything");
    List<String> blocks = new ArrayList<>();
    for (String section : SECTIONS) {
      if (all || wanted.contains(section)) {
        blocks.add(section(info, section));
      }
    }
    return String.join("\r\n", blocks);
  }

  private static String section(ServerInfo info, String section) {
    StringBuilder out = new StringBuilder("# ");
    out.append(Character.toUpperCase(section.charAt(0)))
        .append(section.substring(1))
        .append("\r\n");
    switch (section) {
      case "server" -> {
        field(out, "redis_version", LocalCommands.REDIS_VERSION);
        field(out, "tinykv_version", info.version());
        field(out, "redis_mode", "standalone");
        field(out, "arch_bits", "64");
        field(out, "process_id", info.processId());
        field(out, "tcp_port", info.port());
        field(out, "uptime_in_seconds", info.uptimeSeconds());
        field(out, "uptime_in_days", info.uptimeSeconds() / 86_400);
      }
      case "clients" -> field(out, "connected_clients", info.connectedClients());
      case "replication" -> {
        field(out, "role", info.isLeader() ? "master" : "slave");
        field(out, "raft_node_id", info.nodeId());
        field(out, "raft_role", info.role());
        field(out, "raft_term", info.term());
        field(out, "raft_leader", info.leaderId().orElse(""));
        field(out, "raft_commit_index", info.commitIndex());
        field(out, "raft_applied_index", info.state().appliedIndex());
        field(out, "raft_last_index", info.lastIndex());
        field(out, "kv_digest", info.state().digestHex());
      }
      default -> {
        if (info.state().keys() > 0) {
          field(out, "db0", "keys=" + info.state().keys() + ",expires=0,avg_ttl=0");
        }
      }
    }
    return out.toString();
  }

  private static void field(StringBuilder out, String name, Object value) {
    out.append(name).append(':').append(value).append("\r\n");
  }
}
