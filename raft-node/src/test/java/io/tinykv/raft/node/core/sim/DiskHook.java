package io.tinykv.raft.node.core.sim;

import io.tinykv.raft.node.core.Ready;

/**
 * Sees every ready as a node queues it on its disk, and decides how long its write takes, given the
 * latency the world drew for it. Nemeses use it to find the writes worth interrupting.
 */
interface DiskHook {
  int latency(SimNode node, Ready ready, int drawn);
}
