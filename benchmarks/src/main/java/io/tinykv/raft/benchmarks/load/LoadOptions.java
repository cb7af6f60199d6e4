package io.tinykv.raft.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The load flags shared by {@code bench library} and {@code bench resp}. */
public final class LoadOptions {

  @Option(
      names = "--value-size",
      defaultValue = "100",
      description = "Value bytes per write (default ${DEFAULT-VALUE}).")
  public int valueBytes;

  @Option(
      names = "--key-size",
      defaultValue = "16",
      description = "Key bytes (default ${DEFAULT-VALUE}).")
  public int keyBytes;

  @Option(
      names = "--keys",
      defaultValue = "10000",
      description = "Key space: keys drawn uniformly from this many (default ${DEFAULT-VALUE}).")
  public int keySpace;

  @Option(
      names = "--read-ratio",
      defaultValue = "0",
      description = "Share of reads, 0..1 (default ${DEFAULT-VALUE}: writes only).")
  public double readRatio;

  @Option(
      names = {"-c", "--concurrency"},
      split = ",",
      defaultValue = "256,1",
      description =
          "Closed loop: requests in flight; a list measures each level in turn (default"
              + " ${DEFAULT-VALUE}).")
  public List<Integer> concurrency;

  @Option(
      names = "--rate",
      split = ",",
      description =
          "Open loop instead: requests per second (a list measures each); latency counts from"
              + " each request's intended start.")
  public List<Long> rates = new ArrayList<>();

  @Option(
      names = "--max-in-flight",
      defaultValue = "100000",
      description =
          "Open loop: a phase stops as saturated with this many requests in flight (default"
              + " ${DEFAULT-VALUE}).")
  public int maxInFlight;

  @Option(
      names = {"-d", "--duration"},
      defaultValue = "20s",
      converter = DurationConverter.class,
      description = "Measured time per level, e.g. 20s, 2m (default ${DEFAULT-VALUE}).")
  public Duration duration;

  @Option(
      names = {"-w", "--warmup"},
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "Load before the measured levels, at the first level, reported apart as phase"
              + " warmup (default ${DEFAULT-VALUE}; 0s for none).")
  public Duration warmup;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seeds the key and read choices (default ${DEFAULT-VALUE}).")
  public long seed;

  @Option(
      names = {"-o", "--out"},
      defaultValue = "target/bench-results",
      description =
          "Directory for report.json and report.html (default ./${DEFAULT-VALUE}); created.")
  public Path out;

  public Workload workload() {
    return new Workload(keyBytes, keySpace, valueBytes, readRatio);
  }

  /** The warm-up (if any), then one phase per concurrency level or rate. */
  public List<Phase> phases() {
    List<Phase> phases = new ArrayList<>();
    if (concurrency.isEmpty() && rates.isEmpty()) {
      throw new IllegalArgumentException("give at least one --concurrency or --rate");
    }
    if (!warmup.isZero()) {
      phases.add(
          rates.isEmpty()
              ? Phase.closed("warmup", concurrency.get(0), warmup)
              : Phase.open("warmup", rates.get(0), maxInFlight, warmup));
    }
    if (rates.isEmpty()) {
      for (int c : concurrency) {
        phases.add(Phase.closed("c" + c, c, duration));
      }
    } else {
      for (long rate : rates) {
        phases.add(Phase.open("r" + rate, rate, maxInFlight, duration));
      }
    }
    return phases;
  }

  /** {@code 60s}, {@code 2m}, {@code 500ms}, or a number of seconds. */
  public static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(
              Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "not a duration: '" + value + "' (use e.g. 500ms, 20s, 2m)", e);
      }
    }
  }
}
