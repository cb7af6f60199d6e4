package io.tinykv.raft.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinykv.raft.node.server.ServerConfig;
import io.tinykv.raft.node.server.ServerIdentity;
import io.tinykv.raft.node.server.StartMode;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: what a user types becomes a validated config, or a clear error. */
class TinyKvMainTest {

  @TempDir Path root;

  private final StringWriter errors = new StringWriter();

  /** Parses {@code args} into a config without starting anything; null if refused. */
  private ServerConfig parse(String... args) {
    TinyKvMain main = new TinyKvMain();
    CommandLine cli = new CommandLine(main);
    cli.setErr(new PrintWriter(errors));
    try {
      cli.parseArgs(args);
      return main.toConfig();
    } catch (CommandLine.ParameterException e) {
      errors.write(e.getMessage());
      return null;
    }
  }

  @Test
  void initialClusterOfHostPortIds() {
    ServerConfig config =
        parse(
            "--port",
            "8002",
            "--root",
            root.toString(),
            "--secret",
            "s3cret-value",
            "--initial-cluster",
            "127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003");
    assertThat(config).isNotNull();
    assertThat(config.mode()).isEqualTo(StartMode.INITIAL_CLUSTER);
    assertThat(config.id()).isEqualTo(NodeId.of("127.0.0.1:8002"));
    assertThat(config.members()).hasSize(3);
    assertThat(config.addressOf(NodeId.of("127.0.0.1:8003")))
        .contains(NodeAddress.of("127.0.0.1", 8003));
    assertThat(config.raft().electionTicks()).isEqualTo(15);
  }

  @Test
  void namedMembersCarryTheirAddresses() {
    ServerConfig config =
        parse(
            "--id",
            "a",
            "--port",
            "9001",
            "--root",
            root.toString(),
            "--secret",
            "s3cret-value",
            "--initial-cluster",
            "a=127.0.0.1:9001,b=127.0.0.1:9002,c=127.0.0.1:9003");
    assertThat(config).isNotNull();
    assertThat(config.addressOf(NodeId.of("b"))).contains(NodeAddress.of("127.0.0.1", 9002));
  }

  @Test
  void aRestartWithTheDataDirectoryAloneKeepsTheStoredIdentity() {
    new ServerIdentity(NodeId.of("n2"), NodeAddress.of("127.0.0.1", 9102), "prod").save(root);
    ServerConfig config = parse("--root", root.toString(), "--secret", "s3cret-value");
    assertThat(config).isNotNull();
    assertThat(config.mode()).isEqualTo(StartMode.RESTART);
    assertThat(config.id()).isEqualTo(NodeId.of("n2"));
    assertThat(config.address()).isEqualTo(NodeAddress.of("127.0.0.1", 9102));
    assertThat(config.clusterId()).isEqualTo("prod");
  }

  @Test
  void aRestartUnderAnotherAddressIsRefused() {
    new ServerIdentity(NodeId.of("n2"), NodeAddress.of("127.0.0.1", 9102), "prod").save(root);
    assertThat(parse("--root", root.toString(), "--secret", "s3cret-value", "--port", "9103"))
        .isNull();
    assertThat(errors.toString()).contains("belongs to node n2 at 127.0.0.1:9102");
  }

  @Test
  void aNodeMissingFromItsInitialClusterIsRefused() {
    assertThat(
            parse(
                "--port",
                "8009",
                "--root",
                root.toString(),
                "--secret",
                "s3cret-value",
                "--initial-cluster",
                "127.0.0.1:8001,127.0.0.1:8002"))
        .isNull();
    assertThat(errors.toString()).contains("is not in --initial-cluster");
  }

  @Test
  void aShortOrMissingSecretIsRefused() {
    assertThat(parse("--root", root.toString(), "--secret", "short", "--bootstrap")).isNull();
    assertThat(errors.toString()).contains("at least 8 characters");
  }

  @Test
  void restartingAnEmptyDirectoryNeedsAStartMode() {
    assertThat(parse("--root", root.toString(), "--secret", "s3cret-value")).isNull();
    assertThat(errors.toString()).contains("holds no node yet");
  }

  @Test
  void startModesAreExclusive() {
    assertThat(
            parse(
                "--root",
                root.toString(),
                "--secret",
                "s3cret-value",
                "--bootstrap",
                "--join",
                "127.0.0.1:8001"))
        .isNull();
    assertThat(errors.toString()).contains("mutually exclusive");
  }

  @Test
  void badTimeoutsAreRefusedWithTheReason() {
    assertThat(
            parse(
                "--root",
                root.toString(),
                "--secret",
                "s3cret-value",
                "--bootstrap",
                "--election-ticks",
                "2",
                "--heartbeat-ticks",
                "3"))
        .isNull();
    assertThat(errors.toString()).contains("electionTicks");
  }
}
