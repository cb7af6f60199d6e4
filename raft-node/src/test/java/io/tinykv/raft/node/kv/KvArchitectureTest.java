package io.tinykv.raft.node.kv;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key-value package keeps its layers: the RESP protocol knows nothing of commands, and nothing
 * in the state machine's reach reads a clock or a random source, which would break determinism.
 */
class KvArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importKv() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tinykv.raft.node.kv");
  }

  @Test
  void respKnowsNothingOfCommands() {
    noClasses()
        .that()
        .resideInAPackage("io.tinykv.raft.node.kv.resp..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.tinykv.raft.node.kv")
        .check(classes);
  }

  @Test
  void kvReadsNoClockAndNoRandomness() {
    noClasses()
        .that()
        .resideInAPackage("io.tinykv.raft.node.kv..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.time..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(Random.class, SecureRandom.class)
        .because("replicas must apply commands deterministically")
        .check(classes);
  }

  @Test
  void kvUsesNoNettyOutsideResp() {
    noClasses()
        .that()
        .resideInAPackage("io.tinykv.raft.node.kv")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }
}
