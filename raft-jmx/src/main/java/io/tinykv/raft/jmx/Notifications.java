package io.tinykv.raft.jmx;

import javax.management.MBeanNotificationInfo;
import javax.management.Notification;

/**
 * The notification types a {@link RaftNodeMXBean} emits. Each is sent as a plain {@link
 * Notification} whose message is human readable and whose user data is a {@code String} giving the
 * new value (new role, new leader id, new member list, snapshot index), so generic clients need no
 * TinyKV classes.
 */
public final class Notifications {

  /** This node's role changed; user data is the new role. */
  public static final String ROLE_CHANGED = "io.tinykv.role.changed";

  /** The leader this node knows of changed; user data is the new leader id (empty if none). */
  public static final String LEADER_CHANGED = "io.tinykv.leader.changed";

  /** The cluster configuration changed; user data is the new member list. */
  public static final String MEMBERSHIP_CHANGED = "io.tinykv.membership.changed";

  /** The leader lost contact with a majority and stops accepting writes. */
  public static final String QUORUM_LOST = "io.tinykv.quorum.lost";

  /** The leader regained contact with a majority and accepts writes again. */
  public static final String QUORUM_REGAINED = "io.tinykv.quorum.regained";

  /** This node took a snapshot; user data is the snapshot's last included index. */
  public static final String SNAPSHOT_TAKEN = "io.tinykv.snapshot.taken";

  /** This node installed a snapshot received from the leader; user data is its last index. */
  public static final String SNAPSHOT_INSTALLED = "io.tinykv.snapshot.installed";

  private Notifications() {}

  /** Every notification type, in a stable order. */
  public static String[] types() {
    return new String[] {
      ROLE_CHANGED,
      LEADER_CHANGED,
      MEMBERSHIP_CHANGED,
      QUORUM_LOST,
      QUORUM_REGAINED,
      SNAPSHOT_TAKEN,
      SNAPSHOT_INSTALLED
    };
  }

  /**
   * Describes the notifications a RaftNode MBean emits, for its {@code getNotificationInfo()}.
   * Returns a fresh array on each call.
   */
  public static MBeanNotificationInfo[] info() {
    return new MBeanNotificationInfo[] {
      new MBeanNotificationInfo(
          new String[] {ROLE_CHANGED}, Notification.class.getName(), "This node's role changed"),
      new MBeanNotificationInfo(
          new String[] {LEADER_CHANGED},
          Notification.class.getName(),
          "The leader this node knows of changed"),
      new MBeanNotificationInfo(
          new String[] {MEMBERSHIP_CHANGED},
          Notification.class.getName(),
          "The cluster configuration changed"),
      new MBeanNotificationInfo(
          new String[] {QUORUM_LOST, QUORUM_REGAINED},
          Notification.class.getName(),
          "The leader lost or regained contact with a majority"),
      new MBeanNotificationInfo(
          new String[] {SNAPSHOT_TAKEN, SNAPSHOT_INSTALLED},
          Notification.class.getName(),
          "A snapshot was taken locally or installed from the leader"),
    };
  }
}
