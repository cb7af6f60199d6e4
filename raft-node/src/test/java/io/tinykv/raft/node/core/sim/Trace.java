package io.tinykv.raft.node.core.sim;

import java.io.PrintStream;

/**
 * The recent history of a simulated world, for failure messages: a ring buffer of the last {@value
 * #CAPACITY} events. Details are stored as given (immutable messages, entries, strings) and
 * formatted only when printed, because a run records hundreds of thousands of events and prints
 * almost none. In echo mode (replaying one seed) every event is also printed as it happens.
 */
final class Trace {

  static final int CAPACITY = 60;

  private record Line(long time, Object node, String event, Object detail) {
    String format() {
      return pad(Describe.time(time), 8)
          + "  "
          + pad(String.valueOf(node), 4)
          + "  "
          + pad(event, 13)
          + " "
          + Describe.detail(detail);
    }
  }

  private final Line[] ring = new Line[CAPACITY];
  private final PrintStream echo;
  private long count;

  /** A trace that prints every event to {@code echo} as well, unless it is null. */
  Trace(PrintStream echo) {
    this.echo = echo;
  }

  void add(long time, Object node, String event, Object detail) {
    Line line = new Line(time, node, event, detail);
    ring[(int) (count % CAPACITY)] = line;
    count++;
    if (echo != null) {
      echo.println(line.format());
    }
  }

  /** The last events, oldest first, one per line. */
  String lastEvents() {
    StringBuilder out = new StringBuilder();
    long from = Math.max(0, count - CAPACITY);
    for (long i = from; i < count; i++) {
      out.append("  ").append(ring[(int) (i % CAPACITY)].format()).append('\n');
    }
    return out.toString();
  }

  private static String pad(String s, int width) {
    StringBuilder b = new StringBuilder(s);
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }
}
