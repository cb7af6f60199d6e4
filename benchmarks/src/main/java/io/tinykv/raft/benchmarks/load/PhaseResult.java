package io.tinykv.raft.benchmarks.load;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one {@link Phase} measured: completed requests, failures by kind, the latency histogram (in
 * microseconds) and one {@link Sample} per second.
 *
 * @param phase what was run
 * @param seconds from the first request issued to the last one answered
 * @param completed requests answered successfully
 * @param errors failed requests by exception class (a failed request is retried after 10 ms)
 * @param saturated an open loop that stopped early because {@link Phase#concurrency()} requests
 *     were already in flight: the system could not keep up with the rate
 * @param latencyMicros the latency of every successful request
 * @param series one sample per second of the phase
 */
public record PhaseResult(
    Phase phase,
    double seconds,
    long completed,
    Map<String, Long> errors,
    boolean saturated,
    Histogram latencyMicros,
    List<Sample> series) {

  /**
   * One second of a phase.
   *
   * @param atSeconds the end of the second, from the start of the phase
   * @param completed requests answered in that second
   * @param p50Micros median latency of those requests
   * @param p99Micros their 99th percentile
   * @param maxMicros their maximum
   */
  public record Sample(
      double atSeconds, long completed, long p50Micros, long p99Micros, long maxMicros) {}

  public PhaseResult {
    Objects.requireNonNull(phase, "phase");
    errors = Map.copyOf(errors);
    Objects.requireNonNull(latencyMicros, "latencyMicros");
    series = List.copyOf(series);
  }

  public double throughput() {
    return seconds <= 0 ? 0 : completed / seconds;
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The latency at {@code percentile} (0..100) in milliseconds. */
  public double millisAt(double percentile) {
    return latencyMicros.getTotalCount() == 0
        ? 0
        : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMillis() {
    return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
  }

  /**
   * One result for consecutive pieces of one phase (a warm-up run in slices so that it can follow
   * the leader): counts and histograms add up, samples continue on one time axis.
   */
  public static PhaseResult concat(Phase phase, List<PhaseResult> pieces) {
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("nothing to concatenate");
    }
    double seconds = 0;
    long completed = 0;
    boolean saturated = false;
    Map<String, Long> errors = new TreeMap<>();
    Histogram latency = new Histogram(3);
    List<Sample> series = new ArrayList<>();
    for (PhaseResult piece : pieces) {
      for (Sample s : piece.series()) {
        series.add(
            new Sample(
                seconds + s.atSeconds(),
                s.completed(),
                s.p50Micros(),
                s.p99Micros(),
                s.maxMicros()));
      }
      seconds += piece.seconds();
      completed += piece.completed();
      saturated |= piece.saturated();
      piece.errors().forEach((kind, count) -> errors.merge(kind, count, Long::sum));
      latency.add(piece.latencyMicros());
    }
    return new PhaseResult(phase, seconds, completed, errors, saturated, latency, series);
  }

  /**
   * This result as properties under {@code prefix}: how a node process hands its result to the
   * coordinator (see {@link #fromProperties}). The histogram travels whole (compressed, Base64).
   */
  public void toProperties(Properties out, String prefix) {
    out.setProperty(prefix + "name", phase.name());
    out.setProperty(prefix + "concurrency", Integer.toString(phase.concurrency()));
    out.setProperty(prefix + "rate", Long.toString(phase.ratePerSecond()));
    out.setProperty(prefix + "durationMillis", Long.toString(phase.duration().toMillis()));
    out.setProperty(prefix + "maxRequests", Long.toString(phase.maxRequests()));
    out.setProperty(prefix + "seconds", Double.toString(seconds));
    out.setProperty(prefix + "completed", Long.toString(completed));
    out.setProperty(prefix + "saturated", Boolean.toString(saturated));
    StringBuilder errorText = new StringBuilder();
    errors.forEach((kind, count) -> errorText.append(kind).append('=').append(count).append(';'));
    out.setProperty(prefix + "errors", errorText.toString());
    ByteBuffer buffer = ByteBuffer.allocate(latencyMicros.getNeededByteBufferCapacity());
    int length = latencyMicros.encodeIntoCompressedByteBuffer(buffer);
    out.setProperty(
        prefix + "histogram",
        Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length)));
    StringBuilder samples = new StringBuilder();
    for (Sample s : series) {
      samples
          .append(s.atSeconds())
          .append(':')
          .append(s.completed())
          .append(':')
          .append(s.p50Micros())
          .append(':')
          .append(s.p99Micros())
          .append(':')
          .append(s.maxMicros())
          .append(',');
    }
    out.setProperty(prefix + "series", samples.toString());
  }

  /** Reads back what {@link #toProperties} wrote. */
  public static PhaseResult fromProperties(Properties in, String prefix) {
    Phase phase =
        new Phase(
            required(in, prefix + "name"),
            Integer.parseInt(required(in, prefix + "concurrency")),
            Long.parseLong(required(in, prefix + "rate")),
            java.time.Duration.ofMillis(Long.parseLong(required(in, prefix + "durationMillis"))),
            Long.parseLong(required(in, prefix + "maxRequests")));
    Map<String, Long> errors = new TreeMap<>();
    for (String pair : required(in, prefix + "errors").split(";", -1)) {
      if (!pair.isEmpty()) {
        int eq = pair.lastIndexOf('=');
        errors.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
      }
    }
    Histogram histogram;
    try {
      histogram =
          Histogram.decodeFromCompressedByteBuffer(
              ByteBuffer.wrap(Base64.getDecoder().decode(required(in, prefix + "histogram"))), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("a damaged histogram under " + prefix, e);
    }
    List<Sample> series = new ArrayList<>();
    for (String sample : required(in, prefix + "series").split(",", -1)) {
      if (!sample.isEmpty()) {
        String[] f = sample.split(":", -1);
        series.add(
            new Sample(
                Double.parseDouble(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[4])));
      }
    }
    return new PhaseResult(
        phase,
        Double.parseDouble(required(in, prefix + "seconds")),
        Long.parseLong(required(in, prefix + "completed")),
        errors,
        Boolean.parseBoolean(required(in, prefix + "saturated")),
        histogram,
        series);
  }

  private static String required(Properties in, String key) {
    String value = in.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing result field " + key);
    }
    return value;
  }
}
