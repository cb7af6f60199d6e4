package io.tinykv.raft.protocol.message;

import io.tinykv.raft.protocol.NodeId;

/**
 * A message between two Raft peers. Every message carries its sender, its addressee and the
 * sender's term, which the receiver compares with its own before anything else (Raft paper, section
 * 5.1).
 */
public sealed interface RaftMessage extends PeerMessage
    permits RequestVote,
        RequestVoteResponse,
        AppendEntries,
        AppendEntriesResponse,
        Heartbeat,
        HeartbeatResponse,
        ReadIndex,
        ReadIndexResponse,
        TimeoutNow,
        InstallSnapshot,
        InstallSnapshotResponse {

  NodeId from();

  NodeId to();

  long term();
}
