package io.tinykv.raft.node.jmx;

/**
 * The operations of the RaftNode MBean that change the cluster or its storage, supplied by the
 * server that runs the node (membership changes and snapshots live there, not in the MBean).
 *
 * <p>Threading: called on a JMX thread (an RMI connection thread, or the local caller's), never on
 * a node pipeline thread; an implementation may block until the change is done or its own timeout
 * passes.
 *
 * <p>Errors: a refusal throws an exception of the JDK ({@link IllegalArgumentException} for bad
 * input, {@link IllegalStateException} or {@link UnsupportedOperationException} otherwise) whose
 * message says what happened and what to do, and whose cause chain holds no TinyKV class: JConsole
 * shows the message, and a client without TinyKV's classes could not read anything else.
 */
public interface ClusterOperations {

  /**
   * Adds the node listening at {@code address} to the cluster.
   *
   * @param address the new node's {@code host:port}
   * @return what was done, for example the configuration committed
   */
  String addNode(String address);

  /**
   * Removes a member from the cluster.
   *
   * @param id the member's node id
   * @return what was done
   */
  String removeNode(String id);

  /**
   * Takes a snapshot of the state machine now and compacts the log behind it.
   *
   * @return what was done, for example the snapshot's index and size
   */
  String takeSnapshot();

  /**
   * Refuses every operation with the message the server's RESP {@code ADD_NODE}, {@code
   * REMOVE_NODE} and {@code SNAPSHOT} give while membership changes and snapshots are not there.
   */
  static ClusterOperations notSupportedYet() {
    return new ClusterOperations() {
      @Override
      public String addNode(String address) {
        throw refusal("ADD_NODE");
      }

      @Override
      public String removeNode(String id) {
        throw refusal("REMOVE_NODE");
      }

      @Override
      public String takeSnapshot() {
        throw refusal("SNAPSHOT");
      }

      private UnsupportedOperationException refusal(String command) {
        return new UnsupportedOperationException(
            command + " is not supported yet: it comes with membership changes and snapshots");
      }
    };
  }
}
