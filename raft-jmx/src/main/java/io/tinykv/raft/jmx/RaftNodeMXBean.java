package io.tinykv.raft.jmx;

/**
 * Management view of one Raft node, registered as {@code io.tinykv:type=RaftNode,id=<id>} (see
 * {@link ObjectNames#raftNode(String)}). Attribute values come from the node's last published
 * status and may lag the consensus core by up to one tick.
 *
 * <p>Operations return a short human-readable result on success and throw an exception whose
 * message explains the refusal (for example "not the leader; leader is n2 at 10.0.0.2:7001")
 * otherwise.
 */
public interface RaftNodeMXBean {

  /**
   * The node's current role: {@code LEADER}, {@code FOLLOWER}, {@code PRE_CANDIDATE} (asking for
   * pre-votes before disturbing anyone's term), {@code CANDIDATE} or {@code LEARNER}.
   */
  String getRole();

  /** The node's current term (Raft term number, starting at 0). */
  long getTerm();

  /** The id of the leader this node currently knows of, or an empty string if none. */
  String getLeaderId();

  /**
   * The {@code host:port} of the leader this node currently knows of, or an empty string if none.
   */
  String getLeaderAddress();

  /** Index of the highest log entry known to be committed (log index; 0 if none). */
  long getCommitIndex();

  /** Index of the highest log entry applied to the state machine (log index; 0 if none). */
  long getAppliedIndex();

  /** Index of the last entry in this node's log, durable or not (log index; 0 if empty). */
  long getLastLogIndex();

  /** Last log index covered by the latest snapshot (log index; 0 if no snapshot). */
  long getSnapshotIndex();

  /** The members of the current cluster configuration, with the role this node knows for each. */
  MemberInfo[] getMembers();

  /**
   * Ids of the other members this node has heard from within the last election timeout (on the
   * leader: followers that acknowledged recently; elsewhere: peers with a live connection).
   */
  String[] getReachablePeers();

  /** Whether this node would currently accept a client write (it is leader and has a quorum). */
  boolean isAcceptingWrites();

  /** Seconds since this node process started. */
  long getUptimeSeconds();

  /**
   * Adds a node to the cluster configuration.
   *
   * @param address the new node's {@code host:port}
   * @return a description of the configuration change that was committed
   */
  String addNode(String address);

  /**
   * Removes a node from the cluster configuration.
   *
   * @param id the id of the node to remove
   * @return a description of the configuration change that was committed
   */
  String removeNode(String id);

  /**
   * Asks the leader to hand leadership to another member.
   *
   * @param id the id of the member that should become leader
   * @return a description of the outcome
   */
  String transferLeadership(String id);

  /**
   * Takes a snapshot of the state machine now and compacts the log behind it.
   *
   * @return a description of the snapshot taken (its index and size)
   */
  String takeSnapshot();

  /**
   * Makes this node, if leader, step down so that another member is elected.
   *
   * @return a description of the outcome
   */
  String stepDown();
}
