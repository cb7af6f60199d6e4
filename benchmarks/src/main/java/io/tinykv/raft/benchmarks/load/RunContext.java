package io.tinykv.raft.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a report says about where and how it was measured. */
public final class RunContext {

  private RunContext() {}

  public static Map<String, String> machine() {
    Map<String, String> context = new LinkedHashMap<>();
    context.put("date", Instant.now().toString());
    context.put("cpu", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    context.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    context.put(
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    context.put("load average at start", loadAverage());
    return context;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall through
    }
    return System.getProperty("os.arch");
  }

  public static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
