package io.tinykv.raft.node.server;

/** How a node with an empty data directory finds its cluster; ignored once it has one. */
public enum StartMode {
  /** The first node of a new cluster: a one-node voter set that elects itself at once. */
  BOOTSTRAP,
  /** One of the nodes listed in {@code --initial-cluster}, all started together. */
  INITIAL_CLUSTER,
  /** Join a running cluster through a known member (the membership issue). */
  JOIN,
  /** Restart from the data directory alone: membership and term come from disk. */
  RESTART
}
