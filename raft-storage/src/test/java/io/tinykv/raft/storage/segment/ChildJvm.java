package io.tinykv.raft.storage.segment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM for crash tests, running a test class's {@code main} on this JVM's class path. Its
 * standard output is read as it is written and handed over line by line; {@link #kill()} SIGKILLs
 * it without losing any line it wrote before.
 *
 * <p>{@link Process#destroyForcibly()} does not do for that: after sending SIGKILL it also closes
 * the parent's end of the child's standard output, so whatever the child wrote that the reader had
 * not read yet is lost, and the reader fails with "Stream closed". A reader falls behind easily on
 * a loaded machine, and a crash test that loses the child's last reports checks the wrong thing.
 * {@link ProcessHandle#destroyForcibly()} only sends the signal: the pipe keeps what was written,
 * and the reader reads it to the end of file once the child is dead.
 */
final class ChildJvm {

  private final Process process;
  private final Thread reader;
  private volatile IOException readFailure;

  private ChildJvm(Process process, Consumer<String> lines) {
    this.process = process;
    this.reader = new Thread(() -> readLines(lines), "child-output-" + process.pid());
    this.reader.setDaemon(true);
  }

  /**
   * Starts {@code main} in a new JVM with {@code args}, its standard error going to {@code stderr}.
   *
   * @param lines sees each complete line the child writes to standard output, in order, on a reader
   *     thread
   */
  static ChildJvm start(Path stderr, Consumer<String> lines, Class<?> main, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    process.getOutputStream().close();
    ChildJvm child = new ChildJvm(process, lines);
    child.reader.start();
    return child;
  }

  /** Sends SIGKILL and waits until the child is dead; what it wrote stays readable. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("child " + process.pid() + " survived SIGKILL for 30 s");
    }
  }

  /**
   * Waits until every line the (dead or exited) child wrote was handed over.
   *
   * @throws IOException if reading its output failed, so that lines may be missing
   */
  void awaitOutput() throws IOException, InterruptedException {
    reader.join(TimeUnit.SECONDS.toMillis(30));
    if (reader.isAlive()) {
      throw new IllegalStateException("the output of child " + process.pid() + " never ended");
    }
    if (readFailure != null) {
      throw new IOException("reading the output of child " + process.pid(), readFailure);
    }
  }

  /**
   * Hands over complete lines only: a line cut short by the kill (which a single write of a short
   * line to a pipe cannot be, but nothing here relies on that) was never fully reported.
   */
  private void readLines(Consumer<String> lines) {
    try (InputStream output = process.getInputStream()) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      for (int n = output.read(chunk); n >= 0; n = output.read(chunk)) {
        for (int i = 0; i < n; i++) {
          if (chunk[i] == '\n') {
            lines.accept(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(chunk[i]);
          }
        }
      }
    } catch (IOException e) {
      readFailure = e;
    }
  }
}
