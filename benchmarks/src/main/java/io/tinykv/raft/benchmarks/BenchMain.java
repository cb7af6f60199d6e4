package io.tinykv.raft.benchmarks;

import io.tinykv.raft.benchmarks.library.LibraryBench;
import io.tinykv.raft.benchmarks.resp.RespBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./tinykv bench ...}: the cluster load generator. {@code library} drives leader-local
 * submits inside node processes of TinyKV (and, in the {@code -Ppeers} build, SOFAJRaft and Ratis);
 * {@code resp} drives SET/GET over RESP against TinyKV server processes.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    version = "TinyKV bench 0.1.0",
    subcommands = {LibraryBench.class, RespBench.class},
    description = "TinyKV cluster load generator (closed or open loop, HdrHistogram latencies).")
public final class BenchMain implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
