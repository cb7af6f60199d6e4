package io.tinykv.raft.it.linearizability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a history and, for each key whose sub-history is not linearizable, a minimal
 * non-linearizable sub-history, as text files a person can read (one operation a line, see {@link
 * Operation#describe()}).
 */
public final class HistoryReport {

  private HistoryReport() {}

  /**
   * Writes {@code history.txt} (every operation, by invocation) and {@code <key>-minimal.txt} for
   * each key that is not linearizable (or {@code <key>-unknown.txt} for one whose search ran out of
   * time, with that key's whole history) under {@code dir}; returns the files written.
   */
  public static List<Path> write(
      Path dir,
      String header,
      List<Operation> history,
      LinearizabilityChecker.Result result,
      HistoryMinimizer minimizer) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      List<Operation> sorted = new ArrayList<>(history);
      sorted.sort(Comparator.comparingLong(Operation::invokedNanos));
      Path all = dir.resolve("history.txt");
      Files.writeString(
          all,
          header
              + System.lineSeparator()
              + LEGEND
              + result.summary()
              + System.lineSeparator()
              + lines(sorted),
          StandardCharsets.UTF_8);
      written.add(all);
      for (LinearizabilityChecker.KeyResult bad : result.notLinearizable()) {
        String safeKey = bad.key().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (bad.verdict() == LinearizabilityChecker.Verdict.UNKNOWN) {
          Path file = dir.resolve(safeKey + "-unknown.txt");
          Files.writeString(
              file,
              header
                  + System.lineSeparator()
                  + "The search on "
                  + bad.key()
                  + " ran out of time; its operations as searched:"
                  + System.lineSeparator()
                  + lines(bad.operations()),
              StandardCharsets.UTF_8);
          written.add(file);
          continue;
        }
        List<Operation> minimal = minimizer.minimize(bad.key(), bad.operations());
        Path file = dir.resolve(safeKey + "-minimal.txt");
        Files.writeString(
            file,
            header
                + System.lineSeparator()
                + LEGEND
                + "A sub-history of key "
                + bad.key()
                + " that is not linearizable ("
                + minimal.size()
                + " of its "
                + bad.operations().size()
                + " operations that constrain the search; dropping any one more makes it"
                + " linearizable unless the minimizer ran out of time):"
                + System.lineSeparator()
                + lines(minimal),
            StandardCharsets.UTF_8);
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the history report to " + dir, e);
    }
    return written;
  }

  private static final String LEGEND =
      String.join(
          System.lineSeparator(),
          "Each line: #operation client node [invoked .. completed ms] command -> reply.",
          "Times are milliseconds since the history began. An operation took effect at one instant",
          "inside its interval; '?' (indeterminate: a timeout or an unknown outcome) means any time",
          "after its invocation, or never. FAILED operations were refused (not applied) and are",
          "ignored by the checker.",
          "",
          "");

  private static String lines(List<Operation> ops) {
    StringBuilder out = new StringBuilder();
    for (Operation op : ops) {
      out.append(op.describe()).append(System.lineSeparator());
    }
    return out.toString();
  }
}
