package io.tinykv.raft.node.kv;

import io.tinykv.raft.node.kv.resp.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code CONFIG GET pattern [pattern ...]} with the few parameters tools ask about ({@code
 * redis-benchmark} asks for {@code save} and {@code appendonly}); configuration is not changed
 * through CONFIG.
 */
final class ConfigCommand {

  private ConfigCommand() {}

  static Reply answer(CommandCall call, Supplier<ServerInfo> info) {
    String sub = call.request().keyword(1);
    return switch (sub) {
      case "GET" -> call.argCount() < 2 ? Errors.wrongArity("config|get") : get(call, info.get());
      case "SET", "RESETSTAT", "REWRITE" ->
          Reply.err(
              "CONFIG " + sub + " is not supported: TinyKV is configured by its command line");
      default -> Errors.unknownSubcommand(call);
    };
  }

  private static Reply get(CommandCall call, ServerInfo info) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("appendonly", "no");
    parameters.put("databases", "1");
    parameters.put("maxmemory", "0");
    parameters.put("maxmemory-policy", "noeviction");
    parameters.put("port", Integer.toString(info.port()));
    parameters.put("save", "");
    parameters.put("timeout", "0");
    List<Reply> pairs = new ArrayList<>();
    for (Map.Entry<String, String> parameter : parameters.entrySet()) {
      for (int i = 2; i <= call.argCount(); i++) {
        if (Glob.matches(call.argString(i).toLowerCase(Locale.ROOT), parameter.getKey())) {
          pairs.add(Reply.bulk(parameter.getKey()));
          pairs.add(Reply.bulk(parameter.getValue()));
          break;
        }
      }
    }
    return Reply.array(pairs);
  }

  /** Redis's glob patterns, reduced to {@code *} and {@code ?}. */
  static final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
      return matches(pattern, 0, text, 0);
    }

    private static boolean matches(String pattern, int p, String text, int t) {
      while (p < pattern.length()) {
        char c = pattern.charAt(p);
        if (c == '*') {
          while (p + 1 < pattern.length() && pattern.charAt(p + 1) == '*') {
            p++;
          }
          for (int skip = t; skip <= text.length(); skip++) {
            if (matches(pattern, p + 1, text, skip)) {
              return true;
            }
          }
          return false;
        }
        if (t == text.length() || (c != '?' && c != text.charAt(t))) {
          return false;
        }
        p++;
        t++;
      }
      return t == text.length();
    }
  }
}
