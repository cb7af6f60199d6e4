package io.tinykv.raft.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LogCrashTest} judges the log by what the child reported before it was killed, so the kill
 * must not lose reports: in particular a {@code truncate} line lost at the kill makes entries the
 * child rightly truncated look lost (it once failed so under CI load, the parent's reader having
 * fallen behind when {@code Process.destroyForcibly()} closed the pipe).
 */
class ChildJvmTest {

  private static final int LINES = 2000;

  @TempDir Path dir;

  /**
   * The reader is held on the child's first line, so that everything after it is still in the pipe
   * when the child is killed: a reader that fell behind. All of it must still arrive.
   */
  @Test
  void killingTheChildLosesNoLineItWrote() throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch readerHeld = new CountDownLatch(1);
    CountDownLatch releaseReader = new CountDownLatch(1);
    Path go = dir.resolve("go");
    Path done = dir.resolve("done");
    ChildJvm child =
        ChildJvm.start(
            dir.resolve("stderr.txt"),
            line -> {
              lines.add(line);
              if (lines.size() == 1) {
                readerHeld.countDown();
                awaitUninterruptibly(releaseReader);
              }
            },
            Chatter.class,
            go.toString(),
            done.toString());
    try {
      assertThat(readerHeld.await(30, TimeUnit.SECONDS)).as("the child started").isTrue();
      Files.createFile(go);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(done) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(done).as("the child wrote its lines").exists();
    } finally {
      child.kill();
      releaseReader.countDown();
    }
    child.awaitOutput();
    List<String> expected = new ArrayList<>();
    expected.add("ready");
    for (int i = 0; i < LINES; i++) {
      expected.add("line " + i);
    }
    assertThat(lines).containsExactlyElementsOf(expected);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // keep holding the reader
      }
    }
  }

  /**
   * Writes "ready", waits for the file {@code args[0]}, writes {@link #LINES} lines (less than a
   * pipe holds), creates the file {@code args[1]} and waits to be killed.
   */
  public static final class Chatter {

    private Chatter() {}

    public static void main(String[] args) throws Exception {
      PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      out.println("ready");
      while (!Files.exists(Path.of(args[0]))) {
        Thread.sleep(5);
      }
      for (int i = 0; i < LINES; i++) {
        out.println("line " + i);
      }
      Files.createFile(Path.of(args[1]));
      Thread.sleep(60_000);
    }
  }
}
