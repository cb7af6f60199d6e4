package io.tinykv.raft.benchmarks.library;

import io.tinykv.raft.benchmarks.load.LoadTarget;
import io.tinykv.raft.node.api.StateMachine;
import io.tinykv.raft.node.core.RaftConfig;
import io.tinykv.raft.node.core.Role;
import io.tinykv.raft.node.runtime.DefaultRaftNode;
import io.tinykv.raft.node.runtime.RuntimeOptions;
import io.tinykv.raft.node.transport.netty.NettyTransport;
import io.tinykv.raft.protocol.ClusterId;
import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.NodeAddress;
import io.tinykv.raft.protocol.NodeId;
import io.tinykv.raft.protocol.codec.PeerLinkConfig;
import io.tinykv.raft.protocol.handshake.ClusterSecret;
import io.tinykv.raft.protocol.handshake.HandshakeConfig;
import io.tinykv.raft.storage.disk.DiskStorage;
import io.tinykv.raft.storage.disk.StorageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * TinyKV as an embedder uses it: {@link DefaultRaftNode} on {@link DiskStorage} with the Netty
 * transport, default settings, writes through {@code RaftNode.submit} on the leader.
 */
public final class TinyKvSystem implements BenchSystem {

  static final String CLUSTER = "bench";

  @Override
  public String name() {
    return "tinykv";
  }

  @Override
  public String version() {
    return "TinyKV 0.1.0-SNAPSHOT";
  }

  @Override
  public String settings() {
    return "DiskStorage segmented log, one fsync (FileChannel.force) per log-writer batch before the"
        + " entries count as durable (group commit); followers acknowledge only durable entries;"
        + " RaftConfig and RuntimeOptions defaults (tick 10 ms, 1000 entries / 1 MiB per append,"
        + " 256 appends in flight per follower, snapshot and log compaction every 100,000"
        + " entries); Netty transport with the peer handshake";
  }

  @Override
  public BenchNode start(NodeSpec spec) {
    Map<NodeId, NodeAddress> members = new LinkedHashMap<>();
    for (int i = 0; i < spec.ports().size(); i++) {
      members.put(NodeId.of(NodeSpec.name(i)), NodeAddress.of(NodeSpec.HOST, spec.ports().get(i)));
    }
    NodeId self = NodeId.of(NodeSpec.name(spec.index()));
    DiskStorage storage = DiskStorage.open(StorageConfig.of(spec.dataDir(), CLUSTER));
    NettyTransport transport =
        NettyTransport.builder(
                PeerLinkConfig.withDefaults(
                    new HandshakeConfig(
                        self, ClusterId.of(CLUSTER), ClusterSecret.of(spec.secret()))))
            .listen(NodeSpec.HOST, spec.port())
            .peers(members)
            .build();
    transport.bind();
    TrivialKv kv = new TrivialKv();
    DefaultRaftNode<Long> node =
        DefaultRaftNode.onDisk(
                RaftConfig.builder(self).build(),
                RuntimeOptions.DEFAULTS,
                Membership.ofVoters(members.keySet()),
                storage,
                new KvMachine(kv),
                transport)
            .start();
    return new Node(node, kv);
  }

  private static final class Node implements BenchNode, LoadTarget {
    private final DefaultRaftNode<Long> node;
    private final TrivialKv kv;

    Node(DefaultRaftNode<Long> node, TrivialKv kv) {
      this.node = node;
      this.kv = kv;
    }

    @Override
    public boolean isLeader() {
      return node.status().raft().role() == Role.LEADER;
    }

    @Override
    public LoadTarget target() {
      return this;
    }

    @Override
    public CompletionStage<?> write(byte[] key, byte[] value) {
      return node.submit(TrivialKv.put(key, value));
    }

    @Override
    public CompletionStage<?> read(byte[] key) {
      return node.read(() -> kv.get(key));
    }

    @Override
    public long entriesWritten() {
      return node.status().entriesWritten();
    }

    @Override
    public long fsyncs() {
      return node.status().fsyncs();
    }

    @Override
    public void close() {
      node.close();
    }
  }

  /**
   * {@link TrivialKv} as TinyKV's {@link StateMachine}. TinyKV snapshots by default (every 100,000
   * entries), so the benchmark pays for that as an embedder would.
   */
  private static final class KvMachine implements StateMachine<Long> {
    private final TrivialKv kv;

    KvMachine(TrivialKv kv) {
      this.kv = kv;
    }

    @Override
    public Long apply(long index, byte[] command) {
      return kv.apply(command);
    }

    @Override
    public void snapshot(OutputStream out) throws IOException {
      kv.writeTo(out);
    }

    @Override
    public void restore(InputStream in) throws IOException {
      kv.readFrom(in);
    }
  }
}
