/**
 * The management contract of a TinyKV node: MXBean interfaces (open types only, so generic JMX
 * clients such as JConsole and VisualVM show every attribute without TinyKV classes on their
 * classpath), their object names and the notification types a node emits.
 *
 * <p>This package depends on nothing else of {@code io.tinykv.raft}; implementations live in {@code
 * raft-node} and read the node's published status, never the consensus core's state.
 */
package io.tinykv.raft.jmx;
