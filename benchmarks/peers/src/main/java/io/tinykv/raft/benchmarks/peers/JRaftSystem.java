package io.tinykv.raft.benchmarks.peers;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.option.RaftOptions;
import io.tinykv.raft.benchmarks.library.BenchNode;
import io.tinykv.raft.benchmarks.library.BenchSystem;
import io.tinykv.raft.benchmarks.library.NodeSpec;
import io.tinykv.raft.benchmarks.library.TrivialKv;
import io.tinykv.raft.benchmarks.load.LoadTarget;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SOFAJRaft ({@code com.alipay.sofa:jraft-core}) through its public API: a {@link RaftGroupService}
 * per node with the default RocksDB log storage and bolt RPC, writes through the leader's {@code
 * Node.apply(Task)}, reads through {@code Node.readIndex}.
 */
public final class JRaftSystem implements BenchSystem {

  static final String GROUP = "tinykv-bench";

  @Override
  public String name() {
    return "jraft";
  }

  @Override
  public String version() {
    return "SOFAJRaft " + PeerVersions.of("jraft");
  }

  @Override
  public String settings() {
    return "RocksDB log storage (the default) with RaftOptions.sync=true (every log write is a"
        + " synced RocksDB write: fsync before the entry counts as persisted; batched by the log"
        + " manager) and syncMeta=true; election timeout 1000 ms; snapshots off (no snapshot"
        + " URI); CLI service off; other NodeOptions/RaftOptions defaults; bolt RPC";
  }

  @Override
  public BenchNode start(NodeSpec spec) throws Exception {
    Configuration members = new Configuration();
    for (int port : spec.ports()) {
      members.addPeer(new PeerId(NodeSpec.HOST, port));
    }
    TrivialKv kv = new TrivialKv();
    NodeOptions options = new NodeOptions();
    options.setElectionTimeoutMs(1000);
    options.setDisableCli(true);
    options.setInitialConf(members);
    options.setFsm(new KvFsm(kv));
    options.setLogUri(Files.createDirectories(spec.dataDir().resolve("log")).toString());
    options.setRaftMetaUri(Files.createDirectories(spec.dataDir().resolve("meta")).toString());
    RaftOptions raft = new RaftOptions();
    raft.setSync(true);
    raft.setSyncMeta(true);
    options.setRaftOptions(raft);
    RaftGroupService service =
        new RaftGroupService(GROUP, new PeerId(NodeSpec.HOST, spec.port()), options);
    Node node = service.start();
    return new JRaftNode(service, node, kv);
  }

  private static final class JRaftNode implements BenchNode, LoadTarget {
    private final RaftGroupService service;
    private final Node node;
    private final TrivialKv kv;

    JRaftNode(RaftGroupService service, Node node, TrivialKv kv) {
      this.service = service;
      this.node = node;
      this.kv = kv;
    }

    @Override
    public boolean isLeader() {
      return node.isLeader();
    }

    @Override
    public LoadTarget target() {
      return this;
    }

    @Override
    public CompletionStage<?> write(byte[] key, byte[] value) {
      Applied done = new Applied();
      node.apply(new Task(ByteBuffer.wrap(TrivialKv.put(key, value)), done));
      return done.future;
    }

    @Override
    public CompletionStage<?> read(byte[] key) {
      CompletableFuture<byte[]> future = new CompletableFuture<>();
      node.readIndex(
          new byte[0],
          new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
              if (status.isOk()) {
                future.complete(kv.get(key));
              } else {
                future.completeExceptionally(new IllegalStateException(status.toString()));
              }
            }
          });
      return future;
    }

    @Override
    public long entriesWritten() {
      return -1;
    }

    @Override
    public long fsyncs() {
      return -1;
    }

    @Override
    public void close() {
      service.shutdown();
    }
  }

  /** Completes with the state machine's result once the entry is committed and applied. */
  private static final class Applied implements Closure {
    final CompletableFuture<Long> future = new CompletableFuture<>();
    volatile long result;

    @Override
    public void run(Status status) {
      if (status.isOk()) {
        future.complete(result);
      } else {
        future.completeExceptionally(new IllegalStateException(status.toString()));
      }
    }
  }

  private static final class KvFsm extends StateMachineAdapter {
    private final TrivialKv kv;

    KvFsm(TrivialKv kv) {
      this.kv = kv;
    }

    @Override
    public void onApply(Iterator iterator) {
      while (iterator.hasNext()) {
        long result = kv.apply(iterator.getData().duplicate());
        Closure done = iterator.done();
        if (done instanceof Applied applied) {
          applied.result = result;
        }
        if (done != null) {
          done.run(Status.OK());
        }
        iterator.next();
      }
    }
  }
}
