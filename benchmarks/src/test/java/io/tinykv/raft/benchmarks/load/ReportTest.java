package io.tinykv.raft.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static Measurement measurement(String system, int c, long ops, long micros) {
    Histogram h = new Histogram(3);
    h.recordValueWithCount(micros, ops);
    PhaseResult r =
        new PhaseResult(
            Phase.closed("c" + c, c, Duration.ofSeconds(10)),
            10,
            ops,
            Map.of(),
            false,
            h,
            List.of(new PhaseResult.Sample(1, ops / 10, micros, micros, micros)));
    return new Measurement(system, "library", r, List.of(1.0, 2.0, 3.0), ops, ops / 10);
  }

  @Test
  void tableJsonAndHtmlCarryEveryFigure(@TempDir Path dir) throws IOException {
    Report report =
        new Report(
            "t <&> \"q\"",
            Map.of("machine", "two cores"),
            List.of(
                measurement("tinykv", 256, 400_000, 5_000),
                measurement("jraft", 256, 200_000, 9_000),
                measurement("tinykv", 1, 5_000, 800)));

    String table = report.table(Optional.of("tinykv"));
    assertThat(table).contains("40000").contains("2.00").contains("0.015").contains("1.200");
    report.writeJson(dir.resolve("r.json"));
    report.writeHtml(dir.resolve("r.html"));
    String json = Files.readString(dir.resolve("r.json"));
    assertThat(json)
        .contains("\"title\": \"t <&> \\\"q\\\"\"")
        .contains("\"throughput\": 40000.0000")
        .contains("\"cpuSecondsPer1000\": 0.0150")
        .contains("\"fsyncs\": 40000");
    String html = Files.readString(dir.resolve("r.html"));
    assertThat(html)
        .contains("t &lt;&amp;&gt; &quot;q&quot;")
        .contains("<svg")
        .contains("<polyline");
    assertThat(html).doesNotContain("<script").doesNotContain("http://cdn");
  }

  @Test
  void niceRoundsUpToOneTwoFiveSteps() {
    assertThat(Report.nice(0.7)).isEqualTo(0.8);
    assertThat(Report.nice(31_000)).isEqualTo(40_000);
    assertThat(Report.nice(61)).isEqualTo(80);
    assertThat(Report.nice(1)).isEqualTo(1);
    assertThat(Report.nice(0)).isEqualTo(1);
  }
}
