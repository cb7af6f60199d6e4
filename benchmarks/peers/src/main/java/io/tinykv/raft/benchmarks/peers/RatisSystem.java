package io.tinykv.raft.benchmarks.peers;

import io.tinykv.raft.benchmarks.library.BenchNode;
import io.tinykv.raft.benchmarks.library.BenchSystem;
import io.tinykv.raft.benchmarks.library.NodeSpec;
import io.tinykv.raft.benchmarks.library.TrivialKv;
import io.tinykv.raft.benchmarks.load.LoadTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Apache Ratis through its public API: a {@link RaftServer} per node with the segmented log and
 * gRPC, writes through the leader's own {@code RaftServer.submitClientRequestAsync} (no client
 * hop), reads as linearizable read requests on the same server.
 */
public final class RatisSystem implements BenchSystem {

  static final RaftGroupId GROUP =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("tinykv-bench".getBytes(StandardCharsets.UTF_8)));

  @Override
  public String name() {
    return "ratis";
  }

  @Override
  public String version() {
    return "Apache Ratis " + PeerVersions.of("ratis");
  }

  @Override
  public String settings() {
    return "segmented log (the default), raft.server.log.unsafe-flush.enabled=false and"
        + " async-flush.enabled=false (the defaults, set explicitly: the flush index, which"
        + " acknowledgements and commit use, advances only after FileChannel.force), fsync at"
        + " least every 128 entries or when the write queue empties (force.sync.num default);"
        + " gRPC transport; election timeout 1-2 s (raft.server.rpc.timeout.min/max; the"
        + " default 150-300 ms churns leadership on two busy cores); snapshots off; other"
        + " defaults";
  }

  @Override
  public BenchNode start(NodeSpec spec) throws IOException {
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 0; i < spec.ports().size(); i++) {
      peers.add(
          RaftPeer.newBuilder()
              .setId(NodeSpec.name(i))
              .setAddress(NodeSpec.HOST + ":" + spec.ports().get(i))
              .build());
    }
    RaftPeerId self = RaftPeerId.valueOf(NodeSpec.name(spec.index()));
    RaftProperties properties = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(properties, List.of(spec.dataDir().toFile()));
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
    RaftServerConfigKeys.Log.setAsyncFlushEnabled(properties, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, false);
    // Ratis's default election timeout (150-300 ms) makes leadership churn when three JVMs share
    // two busy cores; SOFAJRaft's default (1 s) is used instead, which only helps Ratis.
    RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(1, TimeUnit.SECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    GrpcConfigKeys.Server.setHost(properties, NodeSpec.HOST);
    GrpcConfigKeys.Server.setPort(properties, spec.port());
    TrivialKv kv = new TrivialKv();
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(self)
            .setGroup(RaftGroup.valueOf(GROUP, peers))
            .setProperties(properties)
            .setStateMachine(new KvStateMachine(kv))
            .setOption(RaftStorage.StartupOption.FORMAT)
            .build();
    server.start();
    return new RatisNode(server, self);
  }

  private static final class RatisNode implements BenchNode, LoadTarget {
    private final RaftServer server;
    private final RaftPeerId self;
    private final ClientId client = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();

    RatisNode(RaftServer server, RaftPeerId self) {
      this.server = server;
      this.self = self;
    }

    @Override
    public boolean isLeader() {
      try {
        return server.getDivision(GROUP).getInfo().isLeader();
      } catch (IOException e) {
        return false;
      }
    }

    @Override
    public LoadTarget target() {
      return this;
    }

    private CompletionStage<RaftClientReply> submit(byte[] payload, RaftClientRequest.Type type) {
      RaftClientRequest request =
          RaftClientRequest.newBuilder()
              .setClientId(client)
              .setServerId(self)
              .setGroupId(GROUP)
              .setCallId(callIds.incrementAndGet())
              .setMessage(Message.valueOf(ByteString.copyFrom(payload)))
              .setType(type)
              .build();
      try {
        return server
            .submitClientRequestAsync(request)
            .thenApply(
                reply -> {
                  if (!reply.isSuccess()) {
                    throw new IllegalStateException(
                        "Ratis refused the request: " + reply.getException());
                  }
                  return reply;
                });
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public CompletionStage<?> write(byte[] key, byte[] value) {
      return submit(TrivialKv.put(key, value), RaftClientRequest.writeRequestType());
    }

    @Override
    public CompletionStage<?> read(byte[] key) {
      return submit(key, RaftClientRequest.readRequestType());
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
      try {
        server.close();
      } catch (IOException e) {
        System.err.println("closing the Ratis server failed: " + e);
      }
    }
  }

  private static final class KvStateMachine extends BaseStateMachine {
    private final TrivialKv kv;

    KvStateMachine(TrivialKv kv) {
      this.kv = kv;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
      LogEntryProto entry = transaction.getLogEntry();
      long size = kv.apply(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.valueOf(Long.toString(size)));
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
      byte[] value = kv.get(request.getContent().toByteArray());
      return CompletableFuture.completedFuture(
          Message.valueOf(value == null ? ByteString.EMPTY : ByteString.copyFrom(value)));
    }
  }
}
