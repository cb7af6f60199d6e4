package io.tinykv.raft.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Accepted;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Challenge;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Hello;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Proof;
import io.tinykv.raft.protocol.handshake.HandshakeMessage.Refused;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The handshake state machines driven directly, without sockets. */
class HandshakeTest {

  private static final NodeId CLIENT = NodeId.of("n1");
  private static final NodeId SERVER = NodeId.of("n2");
  private static final ClusterId CLUSTER = ClusterId.of("prod");

  @Test
  void nodesWithTheSameSecretAuthenticateEachOther() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);

    Hello hello = client.start();
    Challenge challenge = (Challenge) continued(server.receive(hello));
    Proof proof = (Proof) continued(client.receive(challenge));
    HandshakeStep serverStep = server.receive(proof);

    assertThat(serverStep).isInstanceOf(HandshakeStep.Succeeded.class);
    assertThat(((HandshakeStep.Succeeded) serverStep).peer()).isEqualTo(CLIENT);
    Accepted accepted = (Accepted) serverStep.reply().orElseThrow();
    HandshakeStep clientStep = client.receive(accepted);
    assertThat(clientStep).isEqualTo(new HandshakeStep.Succeeded(SERVER, Optional.empty()));
    assertThat(client.isFinished()).isTrue();
    assertThat(server.isFinished()).isTrue();
  }

  @Test
  void aWrongSecretIsRefusedAndBothSidesLearnWhy() {
    HandshakeClient client = client("wrong", CLUSTER, 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);
    Challenge challenge = (Challenge) continued(server.receive(client.start()));

    HandshakeStep serverStep = server.receive(continued(client.receive(challenge)));

    assertFailed(serverStep, RefusalReason.BAD_PROOF);
    Refused refusal = (Refused) serverStep.reply().orElseThrow();
    assertThat(refusal.reason()).isEqualTo(RefusalReason.BAD_PROOF);
    HandshakeStep clientStep = client.receive(refusal);
    assertFailed(clientStep, RefusalReason.BAD_PROOF);
    assertThat(((HandshakeStep.Failed) clientStep).detail()).contains("refused by the server");
  }

  @Test
  void aForeignClusterIsRefusedAtTheHello() {
    HandshakeClient client = client("s3cret", ClusterId.of("staging"), 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);

    HandshakeStep step = server.receive(client.start());

    assertFailed(step, RefusalReason.FOREIGN_CLUSTER);
    assertThat(((HandshakeStep.Failed) step).detail()).contains("staging").contains("prod");
    assertThat(step.reply()).contains(new Refused(RefusalReason.FOREIGN_CLUSTER));
    assertFailed(client.receive(step.reply().orElseThrow()), RefusalReason.FOREIGN_CLUSTER);
  }

  @Test
  void aRecordedProofCannotBeReplayedToAFreshChallenge() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    HandshakeServer first = server("s3cret", CLUSTER, 2);
    Hello hello = client.start();
    Proof recorded = (Proof) continued(client.receive(continued(first.receive(hello))));

    // An eavesdropper replays the same Hello and Proof on a new connection.
    HandshakeServer second = server("s3cret", CLUSTER, 3);
    continued(second.receive(hello));

    assertFailed(second.receive(recorded), RefusalReason.BAD_PROOF);
  }

  @Test
  void aGarbledProofIsRefused() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);
    Proof proof = (Proof) continued(client.receive(continued(server.receive(client.start()))));
    byte[] bytes = proof.proof().toByteArray();
    bytes[17] ^= 1;

    assertFailed(server.receive(new Proof(Token.copyOf(bytes))), RefusalReason.BAD_PROOF);
  }

  @Test
  void aClientProofCannotBeReflectedAsTheServerProof() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);
    Proof proof = (Proof) continued(client.receive(continued(server.receive(client.start()))));

    // An impostor server answers with a proof it could have obtained: the client's own.
    assertFailed(client.receive(new Accepted(proof.proof())), RefusalReason.SERVER_NOT_AUTHENTIC);
  }

  @Test
  void aServerWithoutTheSecretIsNotTrusted() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    client.start();
    continued(client.receive(new Challenge(SERVER, Token.random(seeded(9)))));

    assertFailed(
        client.receive(new Accepted(Token.random(seeded(10)))), RefusalReason.SERVER_NOT_AUTHENTIC);
  }

  @Test
  void messagesOutOfOrderAreProtocolViolations() {
    Proof proof = new Proof(Token.random(seeded(5)));
    assertFailed(server("s", CLUSTER, 1).receive(proof), RefusalReason.PROTOCOL_VIOLATION);

    HandshakeServer server = server("s", CLUSTER, 1);
    Hello hello = client("s", CLUSTER, 2).start();
    continued(server.receive(hello));
    assertFailed(server.receive(hello), RefusalReason.PROTOCOL_VIOLATION);
    assertFailed(server.receive(proof), RefusalReason.PROTOCOL_VIOLATION);

    HandshakeClient client = client("s", CLUSTER, 3);
    assertFailed(client.receive(new Accepted(proof.proof())), RefusalReason.PROTOCOL_VIOLATION);
    HandshakeClient started = client("s", CLUSTER, 3);
    started.start();
    assertFailed(started.receive(new Accepted(proof.proof())), RefusalReason.PROTOCOL_VIOLATION);
    assertThatThrownBy(started::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFinishedHandshakeAcceptsNothingMore() {
    HandshakeClient client = client("s3cret", CLUSTER, 1);
    HandshakeServer server = server("s3cret", CLUSTER, 2);
    Hello hello = client.start();
    Proof proof = (Proof) continued(client.receive(continued(server.receive(hello))));
    server.receive(proof);

    assertFailed(server.receive(proof), RefusalReason.PROTOCOL_VIOLATION);
    assertFailed(server.receive(hello), RefusalReason.PROTOCOL_VIOLATION);
  }

  @Test
  void proofsFollowTheDocumentedFormula() throws Exception {
    NonceSource clientNonces = seeded(1);
    NonceSource serverNonces = seeded(2);
    HandshakeClient client = new HandshakeClient(config(CLIENT, "s3cret", CLUSTER), clientNonces);
    HandshakeServer server = new HandshakeServer(config(SERVER, "s3cret", CLUSTER), serverNonces);
    Hello hello = client.start();
    Challenge challenge = (Challenge) continued(server.receive(hello));
    Proof proof = (Proof) continued(client.receive(challenge));
    Accepted accepted = (Accepted) server.receive(proof).reply().orElseThrow();

    assertThat(proof.proof())
        .isEqualTo(hmac("TKVR client proof v1", challenge.nonce(), hello.nonce(), "n1", "prod"));
    assertThat(accepted.proof())
        .isEqualTo(hmac("TKVR server proof v1", hello.nonce(), challenge.nonce(), "n2", "prod"));
  }

  @Test
  void secretsAndTokensValidateAndStayOutOfLogs() {
    assertThatThrownBy(() -> ClusterSecret.of("")).hasMessageContaining("empty");
    assertThat(ClusterSecret.of("hunter2").toString()).doesNotContain("hunter2");
    assertThat(config(CLIENT, "hunter2", CLUSTER).toString()).doesNotContain("hunter2");
    assertThatThrownBy(() -> Token.copyOf(new byte[31])).hasMessageContaining("32 bytes");
    byte[] bytes = new byte[32];
    Token token = Token.copyOf(bytes);
    bytes[0] = 1;
    assertThat(token.toByteArray()[0]).isZero();
  }

  private static Token hmac(String label, Token challenge, Token own, String prover, String cluster)
      throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update(label.getBytes(StandardCharsets.US_ASCII));
    mac.update(challenge.toByteArray());
    mac.update(own.toByteArray());
    for (String text : new String[] {prover, cluster}) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      mac.update(new byte[] {0, (byte) utf8.length});
      mac.update(utf8);
    }
    return Token.copyOf(mac.doFinal());
  }

  private static HandshakeMessage continued(HandshakeStep step) {
    assertThat(step).isInstanceOf(HandshakeStep.Continue.class);
    return ((HandshakeStep.Continue) step).message();
  }

  private static void assertFailed(HandshakeStep step, RefusalReason reason) {
    assertThat(step).isInstanceOf(HandshakeStep.Failed.class);
    assertThat(((HandshakeStep.Failed) step).reason()).isEqualTo(reason);
  }

  private static HandshakeClient client(String secret, ClusterId cluster, long seed) {
    return new HandshakeClient(config(CLIENT, secret, cluster), seeded(seed));
  }

  private static HandshakeServer server(String secret, ClusterId cluster, long seed) {
    return new HandshakeServer(config(SERVER, secret, cluster), seeded(seed));
  }

  private static HandshakeConfig config(NodeId node, String secret, ClusterId cluster) {
    return new HandshakeConfig(node, cluster, ClusterSecret.of(secret));
  }

  /** Deterministic nonces, so that every run replays the same handshake. */
  static NonceSource seeded(long seed) {
    Random random = new Random(seed);
    return random::nextBytes;
  }
}
