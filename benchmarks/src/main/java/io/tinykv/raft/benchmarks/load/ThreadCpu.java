package io.tinykv.raft.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU seconds of a local process by thread group, from Linux's {@code /proc/<pid>/task/<tid>/}
 * ({@code comm} names the thread, {@code stat} counts its user and system ticks). Threads are
 * grouped by name without trailing numbers ({@code tinykv-net-n1-2} and {@code tinykv-net-n1-3} are
 * {@code tinykv-net-n}), so the same role shows as one line whatever its pool size. Elsewhere, or
 * for a process that is gone, the map is empty.
 */
public final class ThreadCpu {

  /** Clock ticks per second of {@code stat}'s utime and stime: USER_HZ, 100 on Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ThreadCpu() {}

  public static Map<String, Double> snapshot(long pid) {
    Map<String, Double> groups = new TreeMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return groups;
    }
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        try {
          String name = Files.readString(thread.resolve("comm"), StandardCharsets.UTF_8).trim();
          String stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
          // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
          double seconds =
              (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
          groups.merge(group(name), seconds, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread ended between listing and reading: its time is lost to both snapshots
        }
      }
    } catch (IOException e) {
      return groups;
    }
    return groups;
  }

  /** {@code after - before} per group, groups that used less than 10 ms left out. */
  public static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> delta = new TreeMap<>();
    after.forEach(
        (group, seconds) -> {
          double d = seconds - before.getOrDefault(group, 0.0);
          if (d >= 0.01) {
            delta.put(group, d);
          }
        });
    return delta;
  }

  static String group(String threadName) {
    String g = threadName.replaceAll("[-#_ ]?[0-9]+$", "");
    g = g.replaceAll("[-#_ ]?[0-9]+$", "");
    return g.isEmpty() ? threadName : g;
  }
}
