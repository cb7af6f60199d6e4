package io.tinykv.raft.node;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.RandomAccessFile;
import java.util.Timer;
import java.util.TimerTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Architecture rules checked on the production classes of every module on this test classpath.
 *
 * <p>The consensus core ({@code io.tinykv.raft.node.core..}) is a single-threaded, deterministic
 * state machine: it never touches a socket, a thread, a clock or a file (DESIGN.md, "The consensus
 * core is pure"). The core rules fail when the core package holds no classes, so they cannot pass
 * by checking nothing.
 */
class ArchitectureTest {

  private static final String CORE = "io.tinykv.raft.node.core..";

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.tinykv.raft");
  }

  @Test
  void coreUsesNoIoThreadsClocksOrRuntimeLibraries() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.netty..",
                "com.lmax..",
                "com.esotericsoftware..",
                "java.nio.channels..",
                "java.nio.file..",
                "java.net..",
                "java.util.concurrent..",
                "java.time..")
            .orShould()
            .dependOnClassesThat()
            .belongToAnyOf(
                File.class,
                FileInputStream.class,
                FileOutputStream.class,
                RandomAccessFile.class,
                Thread.class,
                Timer.class,
                TimerTask.class)
            .because("the core is a pure, single-threaded state machine driven by ticks");
    rule.check(classes);
  }

  @Test
  void coreReadsNoClockAndNeverSleeps() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(CORE)
            .should()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(System.class, "nanoTime")
            .orShould()
            .callMethod(Thread.class, "sleep", long.class)
            .orShould()
            .callMethod(Thread.class, "sleep", long.class, int.class)
            .because("time in the core is logical ticks");
    rule.check(classes);
  }

  @Test
  void coreHasNoSynchronizedMethods() {
    ArchRule rule =
        noMethods()
            .that()
            .areDeclaredInClassesThat()
            .resideInAPackage(CORE)
            .should()
            .haveModifier(JavaModifier.SYNCHRONIZED)
            .because("one thread owns the core; the core has no locks");
    rule.check(classes);
  }

  @Test
  void protocolDependsOnNoOtherLayer() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.tinykv.raft.protocol..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tinykv.raft.storage..", "io.tinykv.raft.node..")
            .allowEmptyShould(true);
    rule.check(classes);
  }

  @Test
  void storageDependsOnNeitherNodeNorNetty() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.tinykv.raft.storage..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.tinykv.raft.node..", "io.netty..")
            .allowEmptyShould(true);
    rule.check(classes);
  }

  @Test
  void jmxDependsOnNothingOfOurs() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.tinykv.raft.jmx..")
            .should()
            .dependOnClassesThat(
                resideInAPackage("io.tinykv.raft..")
                    .and(resideOutsideOfPackage("io.tinykv.raft.jmx.."))
                    .as("reside in io.tinykv.raft.. outside of io.tinykv.raft.jmx.."))
            .allowEmptyShould(true);
    rule.check(classes);
  }
}
