package io.tinykv.raft.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM (or any program) this benchmark started: its output goes to a log file, except stdout lines
 * starting with {@code @@}, which are answers to the commands written to its stdin. Every child is
 * killed when the benchmark exits.
 */
public final class ChildProcess implements AutoCloseable {

  private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> STARTED.forEach(Process::destroyForcibly), "kill-bench-children"));
  }

  private final String name;
  private final Process process;
  private final PrintWriter stdin;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.stdin =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
  }

  /**
   * Starts {@code command} with {@code environment} added; stderr and non-answer stdout lines go to
   * {@code log}.
   */
  public static ChildProcess start(
      String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.writeString(
        log,
        "### " + String.join(" ", command) + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    STARTED.add(process);
    ChildProcess child = new ChildProcess(name, process, log);
    Thread reader = new Thread(child::pump, "out-" + name);
    reader.setDaemon(true);
    reader.start();
    return child;
  }

  private void pump() {
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer file =
            Files.newBufferedWriter(
                log,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("@@ ")) {
          answers.add(line.substring(3));
        } else {
          file.write(line);
          file.write(System.lineSeparator());
          file.flush();
        }
      }
    } catch (IOException e) {
      answers.add("ERROR reading output: " + e);
    }
    answers.add("EXITED");
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public void send(String command) {
    stdin.println(command);
  }

  /**
   * The next answer whose first word is {@code kind}; other answers are skipped. Fails on {@code
   * ERROR}, on exit, or after {@code timeout}.
   */
  public String[] await(String kind, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String answer = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
      if (answer == null) {
        throw new IllegalStateException(
            name + " gave no " + kind + " within " + timeout + "; see " + log);
      }
      String[] words = answer.split(" ", -1);
      if (words[0].equals(kind)) {
        return words;
      }
      if (words[0].equals("ERROR") || words[0].equals("EXITED")) {
        throw new IllegalStateException(name + ": " + answer + "; see " + log);
      }
    }
  }

  /** CPU seconds used so far (NaN once it has exited). */
  public double cpuSeconds() {
    return ProcessCpu.secondsOf(process.pid());
  }

  /** Asks politely ({@code QUIT} on stdin, then SIGTERM), then kills; waits at most 15 s. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        send("QUIT");
        stdin.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroy();
          if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            boolean unused = process.waitFor(5, TimeUnit.SECONDS);
          }
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    STARTED.remove(process);
  }
}
