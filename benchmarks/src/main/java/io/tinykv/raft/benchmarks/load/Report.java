package io.tinykv.raft.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns measurements into the printed table, a JSON file and a self-contained HTML page (inline
 * SVG, no scripts or external files): throughput and p99 latency over time, and latency against
 * throughput across the concurrency levels.
 */
public final class Report {

  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
  };

  private final String title;
  private final Map<String, String> context;
  private final List<Measurement> measurements;

  /**
   * @param context what the run was (machine, versions, settings, command), shown as given
   */
  public Report(String title, Map<String, String> context, List<Measurement> measurements) {
    this.title = title;
    this.context = new LinkedHashMap<>(context);
    this.measurements = List.copyOf(measurements);
  }

  /**
   * The table: one row per system and phase, with throughput and median ratios against {@code
   * baseline} at the same phase name, when it ran.
   */
  public String table(Optional<String> baseline) {
    StringBuilder out = new StringBuilder();
    String header =
        String.format(
            Locale.ROOT,
            "%-8s %-7s %-10s %10s %8s %8s %8s %8s %8s %9s %7s %7s %s",
            "system",
            "path",
            "phase",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "p99.9 ms",
            "max ms",
            "CPU s",
            "CPU/1k",
            "e/fsync",
            "x base",
            "errors");
    out.append(header).append('\n');
    for (Measurement m : measurements) {
      PhaseResult r = m.result();
      String ratio = "";
      if (baseline.isPresent() && !baseline.get().equals(m.system())) {
        Optional<Measurement> base = find(baseline.get(), m.path(), r.phase().name());
        if (base.isPresent() && r.throughput() > 0) {
          ratio =
              String.format(Locale.ROOT, "%.2f", base.get().result().throughput() / r.throughput());
        }
      }
      out.append(
              String.format(
                  Locale.ROOT,
                  "%-8s %-7s %-10s %10.0f %8.2f %8.2f %8.2f %8.1f %8.1f %9.3f %7s %7s %s",
                  m.system(),
                  m.path(),
                  r.phase().name(),
                  r.throughput(),
                  r.millisAt(50),
                  r.millisAt(99),
                  r.millisAt(99.9),
                  r.maxMillis(),
                  m.cpuSeconds(),
                  m.cpuSecondsPer1000(),
                  m.entriesPerFsync().isPresent()
                      ? String.format(Locale.ROOT, "%.1f", m.entriesPerFsync().getAsDouble())
                      : "n/a",
                  ratio,
                  r.errors().isEmpty() ? (r.saturated() ? "SATURATED" : "0") : r.errors()))
          .append('\n');
    }
    for (Measurement m : measurements) {
      String threads = m.leaderThreadsPer1000(6);
      if (!threads.isEmpty() && !m.result().phase().name().startsWith("warmup")) {
        out.append(
            String.format(
                Locale.ROOT,
                "  %s %s leader CPU s/1k by thread: %s%n",
                m.system(),
                m.result().phase().name(),
                threads));
      }
    }
    baseline.ifPresent(
        b ->
            out.append("x base = ")
                .append(b)
                .append("'s throughput divided by this row's, same phase\n"));
    return out.toString();
  }

  private Optional<Measurement> find(String system, String path, String phase) {
    return measurements.stream()
        .filter(
            m ->
                m.system().equals(system)
                    && m.path().equals(path)
                    && m.result().phase().name().equals(phase))
        .findFirst();
  }

  public void writeJson(Path file) throws IOException {
    StringBuilder json = new StringBuilder("{\n  \"title\": ").append(quote(title));
    json.append(",\n  \"context\": {");
    String sep = "\n    ";
    for (Map.Entry<String, String> e : context.entrySet()) {
      json.append(sep).append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
      sep = ",\n    ";
    }
    json.append("\n  },\n  \"measurements\": [");
    sep = "\n    ";
    for (Measurement m : measurements) {
      PhaseResult r = m.result();
      json.append(sep).append("{");
      json.append("\"system\": ").append(quote(m.system()));
      json.append(", \"path\": ").append(quote(m.path()));
      json.append(", \"phase\": ").append(quote(r.phase().name()));
      json.append(", \"concurrency\": ").append(r.phase().concurrency());
      json.append(", \"ratePerSecond\": ").append(r.phase().ratePerSecond());
      json.append(", \"seconds\": ").append(num(r.seconds()));
      json.append(", \"completed\": ").append(r.completed());
      json.append(", \"throughput\": ").append(num(r.throughput()));
      json.append(", \"p50Millis\": ").append(num(r.millisAt(50)));
      json.append(", \"p99Millis\": ").append(num(r.millisAt(99)));
      json.append(", \"p999Millis\": ").append(num(r.millisAt(99.9)));
      json.append(", \"maxMillis\": ").append(num(r.maxMillis()));
      json.append(", \"nodeCpuSeconds\": ")
          .append(
              m.nodeCpuSeconds().stream()
                  .map(Report::num)
                  .collect(Collectors.joining(", ", "[", "]")));
      json.append(", \"cpuSecondsPer1000\": ").append(num(m.cpuSecondsPer1000()));
      json.append(", \"entriesWritten\": ").append(m.entriesWritten());
      json.append(", \"fsyncs\": ").append(m.fsyncs());
      json.append(", \"saturated\": ").append(r.saturated());
      json.append(", \"leaderThreadCpuSeconds\": {");
      String tsep = "";
      for (Map.Entry<String, Double> e : new java.util.TreeMap<>(m.leaderThreadCpu()).entrySet()) {
        json.append(tsep).append(quote(e.getKey())).append(": ").append(num(e.getValue()));
        tsep = ", ";
      }
      json.append("}");
      json.append(", \"errors\": {");
      String esep = "";
      for (Map.Entry<String, Long> e : r.errors().entrySet()) {
        json.append(esep).append(quote(e.getKey())).append(": ").append(e.getValue());
        esep = ", ";
      }
      json.append("}, \"series\": [");
      String ssep = "";
      for (PhaseResult.Sample s : r.series()) {
        json.append(ssep)
            .append(
                String.format(
                    Locale.ROOT,
                    "[%.3f, %d, %d, %d, %d]",
                    s.atSeconds(),
                    s.completed(),
                    s.p50Micros(),
                    s.p99Micros(),
                    s.maxMicros()));
        ssep = ", ";
      }
      json.append("]}");
      sep = ",\n    ";
    }
    json.append("\n  ],\n  \"seriesFields\": [\"atSeconds\", \"completed\", \"p50Micros\",")
        .append(" \"p99Micros\", \"maxMicros\"]\n}\n");
    Files.writeString(file, json, StandardCharsets.UTF_8);
  }

  public void writeHtml(Path file) throws IOException {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;")
        .append("padding:3px 8px;text-align:right}th{background:#f3f3f3}td.l{text-align:left}")
        .append("svg{margin:1em 0;font-size:11px}</style></head><body>\n<h1>")
        .append(escape(title))
        .append("</h1>\n<table>");
    for (Map.Entry<String, String> e : context.entrySet()) {
      html.append("<tr><th>")
          .append(escape(e.getKey()))
          .append("</th><td class=\"l\">")
          .append(escape(e.getValue()))
          .append("</td></tr>");
    }
    html.append("</table>\n<h2>Results</h2>\n<table><tr><th>system</th><th>path</th>")
        .append("<th>phase</th><th>ops/s</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th>")
        .append("<th>max ms</th><th>CPU s</th><th>CPU s / 1k</th><th>entries/fsync</th>")
        .append("<th>errors</th><th>leader CPU s / 1k by thread</th></tr>\n");
    for (Measurement m : measurements) {
      PhaseResult r = m.result();
      html.append(
          String.format(
              Locale.ROOT,
              "<tr><td class=\"l\">%s</td><td class=\"l\">%s</td><td class=\"l\">%s</td>"
                  + "<td>%,.0f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.1f</td>"
                  + "<td>%.1f</td><td>%.3f</td><td>%s</td><td class=\"l\">%s</td>"
                  + "<td class=\"l\">%s</td></tr>\n",
              escape(m.system()),
              escape(m.path()),
              escape(r.phase().name() + " (" + r.phase().shape() + ")"),
              r.throughput(),
              r.millisAt(50),
              r.millisAt(99),
              r.millisAt(99.9),
              r.maxMillis(),
              m.cpuSeconds(),
              m.cpuSecondsPer1000(),
              m.entriesPerFsync().isPresent()
                  ? String.format(Locale.ROOT, "%.1f", m.entriesPerFsync().getAsDouble())
                  : "n/a",
              escape(
                  r.errors().isEmpty()
                      ? (r.saturated() ? "saturated" : "0")
                      : r.errors().toString()),
              escape(m.leaderThreadsPer1000(6))));
    }
    html.append("</table>\n");
    // Over time: one line per system, its phases end to end on one time axis.
    Map<String, List<Measurement>> runs = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      runs.computeIfAbsent(m.system() + " " + m.path(), k -> new ArrayList<>()).add(m);
    }
    List<Line> throughput = new ArrayList<>();
    List<Line> p99 = new ArrayList<>();
    List<double[]> boundaries = new ArrayList<>();
    List<String> boundaryNames = new ArrayList<>();
    int color = 0;
    for (Map.Entry<String, List<Measurement>> run : runs.entrySet()) {
      List<double[]> ops = new ArrayList<>();
      List<double[]> lat = new ArrayList<>();
      double offset = 0;
      for (Measurement m : run.getValue()) {
        if (color == 0) {
          boundaries.add(new double[] {offset});
          boundaryNames.add(m.result().phase().name());
        }
        double previous = 0;
        for (PhaseResult.Sample s : m.result().series()) {
          // A rate: the last sample of a phase (or of a slice of one) may cover less than 1 s.
          double span = Math.max(0.05, s.atSeconds() - previous);
          previous = s.atSeconds();
          ops.add(new double[] {offset + s.atSeconds(), s.completed() / span});
          if (s.completed() > 0) {
            lat.add(new double[] {offset + s.atSeconds(), s.p99Micros() / 1000.0});
          }
        }
        offset += m.result().seconds();
      }
      String c = COLORS[color++ % COLORS.length];
      throughput.add(new Line(run.getKey(), c, ops, false));
      p99.add(new Line(run.getKey(), c, lat, false));
    }
    html.append("<h2>Over time (each system's phases end to end; phase starts marked)</h2>\n");
    html.append(
        svg(
            "Throughput (requests per second)",
            "s",
            "ops/s",
            throughput,
            false,
            boundaries,
            boundaryNames));
    html.append(
        svg(
            "p99 latency of each second (ms, log scale)",
            "s",
            "ms",
            p99,
            true,
            boundaries,
            boundaryNames));
    List<Line> curve = new ArrayList<>();
    color = 0;
    Map<String, List<Measurement>> bySystem = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      if (!m.result().phase().isOpenLoop() && !m.result().phase().name().startsWith("warmup")) {
        bySystem.computeIfAbsent(m.system() + " " + m.path(), k -> new ArrayList<>()).add(m);
      }
    }
    for (Map.Entry<String, List<Measurement>> e : bySystem.entrySet()) {
      List<Measurement> levels = new ArrayList<>(e.getValue());
      levels.sort(Comparator.comparingInt(m -> m.result().phase().concurrency()));
      List<double[]> p50Points = new ArrayList<>();
      List<double[]> p99Points = new ArrayList<>();
      for (Measurement m : levels) {
        p50Points.add(new double[] {m.result().throughput(), m.result().millisAt(50)});
        p99Points.add(new double[] {m.result().throughput(), m.result().millisAt(99)});
      }
      String c = COLORS[color++ % COLORS.length];
      curve.add(new Line(e.getKey() + " p50", c, p50Points, true));
      curve.add(new Line(e.getKey() + " p99", c, p99Points, true));
    }
    if (!curve.isEmpty()) {
      html.append("<h2>Latency against throughput across concurrency levels</h2>\n");
      html.append(
          svg(
              "Latency (ms, log scale) against throughput (ops/s), one point per C",
              "ops/s",
              "ms",
              curve,
              true,
              List.of(),
              List.of()));
    }
    html.append("</body></html>\n");
    Files.writeString(file, html, StandardCharsets.UTF_8);
  }

  private record Line(String name, String color, List<double[]> points, boolean markers) {}

  /**
   * A line chart. With {@code logY} the y axis runs over whole powers of ten (values below the
   * lowest decade sit on the axis); {@code marks} are x positions drawn as labelled dashed lines.
   */
  private static String svg(
      String title,
      String xUnit,
      String yUnit,
      List<Line> lines,
      boolean logY,
      List<double[]> marks,
      List<String> markNames) {
    int width = 900;
    int height = 360;
    int left = 70;
    int right = 260;
    int top = 30;
    int bottom = 40;
    double maxX = 0;
    double maxY = 0;
    for (Line line : lines) {
      for (double[] p : line.points()) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    maxX = nice(maxX);
    double minY = 0;
    if (logY) {
      double smallest = Double.MAX_VALUE;
      for (Line line : lines) {
        for (double[] p : line.points()) {
          if (p[1] > 0) {
            smallest = Math.min(smallest, p[1]);
          }
        }
      }
      minY = smallest == Double.MAX_VALUE ? 0 : Math.floor(Math.log10(smallest));
      maxY = Math.max(minY + 1, Math.ceil(Math.log10(Math.max(maxY, 1e-9))));
    } else {
      maxY = nice(maxY);
    }
    double plotW = width - left - right;
    double plotH = height - top - bottom;
    int yTicks = logY ? (int) (maxY - minY) : 5;
    final double low = minY;
    final double high = maxY;
    java.util.function.DoubleUnaryOperator toY =
        v -> {
          double f;
          if (logY) {
            f = v <= 0 ? 0 : Math.max(0, (Math.log10(v) - low) / (high - low));
          } else {
            f = high == 0 ? 0 : v / high;
          }
          return top + plotH - plotH * f;
        };
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">"
                + "<text x=\"%d\" y=\"18\" font-size=\"14\">%s</text>",
            width,
            height,
            left,
            escape(title)));
    for (int i = 0; i <= yTicks; i++) {
      double y = top + plotH - plotH * i / yTicks;
      double value = logY ? Math.pow(10, minY + i) : maxY * i / yTicks;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
              left,
              y,
              left + plotW,
              y,
              left - 5,
              y + 4,
              label(value)));
    }
    for (int i = 0; i <= 5; i++) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
              left + plotW * i / 5,
              height - bottom + 15,
              label(maxX * i / 5)));
    }
    for (int i = 0; i < marks.size(); i++) {
      double x = left + (maxX == 0 ? 0 : plotW * marks.get(i)[0] / maxX);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\""
                  + " stroke-dasharray=\"2 3\"/><text x=\"%.1f\" y=\"%d\" fill=\"#777\">%s</text>",
              x,
              top,
              x,
              top + plotH,
              x + 3,
              top + 11,
              escape(markNames.get(i))));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#888\"/>"
                + "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                + "<text x=\"12\" y=\"%.0f\" transform=\"rotate(-90 12 %.0f)\""
                + " text-anchor=\"middle\">%s</text>",
            left,
            top,
            plotW,
            plotH,
            left + plotW / 2,
            height - 5,
            escape(xUnit),
            top + plotH / 2,
            top + plotH / 2,
            escape(yUnit)));
    int legend = 0;
    for (Line line : lines) {
      StringBuilder pts = new StringBuilder();
      for (double[] p : line.points()) {
        double x = left + (maxX == 0 ? 0 : plotW * p[0] / maxX);
        double y = toY.applyAsDouble(p[1]);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        if (line.markers()) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                  x,
                  y,
                  line.color()));
        }
      }
      String dash = line.name().endsWith(" p50") ? " stroke-dasharray=\"4 3\"" : "";
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s/>",
              pts.toString().trim(),
              line.color(),
              dash));
      int ly = top + 12 + 16 * legend++;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.0f\" y1=\"%d\" x2=\"%.0f\" y2=\"%d\" stroke=\"%s\""
                  + " stroke-width=\"2\"%s/><text x=\"%.0f\" y=\"%d\">%s</text>",
              left + plotW + 10,
              ly - 4,
              left + plotW + 30,
              ly - 4,
              line.color(),
              dash,
              left + plotW + 35,
              ly,
              escape(line.name())));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  /**
   * The smallest round step (1, 1.2, 1.5, 2, ... 8) times a power of ten that is at least value.
   */
  static double nice(double value) {
    if (value <= 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (step * power >= value) {
        return step * power;
      }
    }
    return 10 * power;
  }

  private static String label(double value) {
    if (value >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk", value / 1000);
    }
    if (value >= 10 || value == 0) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (value < 0.1) {
      return String.format(Locale.ROOT, "%.3g", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  private static String num(double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? "null"
        : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
