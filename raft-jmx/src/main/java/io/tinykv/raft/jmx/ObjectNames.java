package io.tinykv.raft.jmx;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** Factories for the object names TinyKV's MBeans are registered under. */
public final class ObjectNames {

  /** The JMX domain of every TinyKV MBean. */
  public static final String DOMAIN = "io.tinykv";

  private ObjectNames() {}

  /** {@code io.tinykv:type=RaftNode,id=<id>}. */
  public static ObjectName raftNode(String id) {
    return create("type=RaftNode,id=" + value(id));
  }

  /** {@code io.tinykv:type=Peer,node=<id>,peer=<peerId>}. */
  public static ObjectName peer(String nodeId, String peerId) {
    return create("type=Peer,node=" + value(nodeId) + ",peer=" + value(peerId));
  }

  /** {@code io.tinykv:type=Log,id=<id>}. */
  public static ObjectName log(String id) {
    return create("type=Log,id=" + value(id));
  }

  /**
   * {@code io.tinykv:type=Metrics,id=<id>,name=<metric>}: one throughput or latency metric of a
   * node (published by a metrics library's JMX reporter).
   */
  public static ObjectName metric(String id, String metric) {
    return create("type=Metrics,id=" + value(id) + ",name=" + value(metric));
  }

  /**
   * Returns an id as it appears in an object name: unchanged if it is a valid unquoted key property
   * value, quoted with {@link ObjectName#quote(String)} otherwise (for example a {@code host:port}
   * id). Use {@link #unquote(String)} to get the id back from a key property.
   */
  static String value(String id) {
    if (id.isEmpty()) {
      throw new IllegalArgumentException("empty id");
    }
    for (int i = 0; i < id.length(); i++) {
      if (",=:\"*?\n\\".indexOf(id.charAt(i)) >= 0) {
        return ObjectName.quote(id);
      }
    }
    return id;
  }

  /** Returns the id a key property value stands for, undoing any quoting applied by this class. */
  public static String unquote(String propertyValue) {
    return propertyValue.startsWith("\"") ? ObjectName.unquote(propertyValue) : propertyValue;
  }

  private static ObjectName create(String properties) {
    try {
      return new ObjectName(DOMAIN + ":" + properties);
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("invalid object name " + DOMAIN + ":" + properties, e);
    }
  }
}
