package io.tinykv.raft.storage.format;

import io.tinykv.raft.protocol.Membership;
import io.tinykv.raft.protocol.MembershipCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Field encodings shared by the metadata and snapshot formats, all big-endian; strings and
 * memberships as in {@link MembershipCodec} (a string is a u16 byte length and UTF-8 bytes).
 */
public final class FieldCodec {

  private FieldCodec() {}

  public static void writeString(DataOutput out, String value) throws IOException {
    MembershipCodec.writeString(out, value);
  }

  public static String readString(DataInput in) throws IOException {
    return MembershipCodec.readString(in);
  }

  public static void writeMembership(DataOutput out, Membership membership) throws IOException {
    MembershipCodec.write(out, membership);
  }

  public static Membership readMembership(DataInput in) throws IOException {
    return MembershipCodec.read(in);
  }
}
