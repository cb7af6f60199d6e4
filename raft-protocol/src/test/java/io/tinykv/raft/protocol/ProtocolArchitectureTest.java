package io.tinykv.raft.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering inside raft-protocol: which package may know Kryo and which may know Netty. */
class ProtocolArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tinykv.raft.protocol");
  }

  @Test
  void onlyTheKryoPackageKnowsKryo() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.tinykv.raft.protocol.codec.kryo..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.esotericsoftware..")
        .because("the rest of the system talks to MessageCodec")
        .check(classes);
  }

  @Test
  void messagesIdsAndTheHandshakeKnowNoNetty() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.tinykv.raft.protocol",
            "io.tinykv.raft.protocol.message..",
            "io.tinykv.raft.protocol.handshake..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "io.tinykv.raft.protocol.codec..")
        .because("the messages are used by the pure core and the handshake is a pure state machine")
        .check(classes);
  }
}
