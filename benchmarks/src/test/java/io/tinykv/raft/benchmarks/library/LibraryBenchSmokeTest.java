package io.tinykv.raft.benchmarks.library;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The library path end to end, briefly: three TinyKV node processes, a leader, one second of load
 * on it, a report. Not a measurement (far too short); it keeps the harness from rotting.
 */
class LibraryBenchSmokeTest {

  @Test
  void threeNodeProcessesServeLeaderLocalLoad(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("out");
    int code =
        new CommandLine(new LibraryBench())
            .execute(
                "--systems=tinykv",
                "--warmup=0s",
                "--duration=1s",
                "-c=16,1",
                "--jvm-opts=-Xmx256m -XX:TieredStopAtLevel=1",
                "--base-port=19610",
                "--fsync-probe=100ms",
                "--data=" + dir.resolve("data"),
                "--out=" + out);

    assertThat(code).isZero();
    String json = Files.readString(out.resolve("report.json"));
    assertThat(json).contains("\"system\": \"tinykv\"").contains("\"phase\": \"c16\"");
    assertThat(json).contains("\"errors\": {}").contains("raw fsync of the data disk");
    assertThat(json).contains("bar c=1: tinykv p50");
    assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
  }
}
