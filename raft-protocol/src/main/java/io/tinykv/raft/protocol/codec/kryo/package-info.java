/**
 * The Kryo implementation of {@link io.tinykv.raft.protocol.codec.MessageCodec}; the only package
 * that knows Kryo.
 *
 * <p>A message body is {@code varint(registration id)} followed by the message's fields, written by
 * hand-written serializers ({@code RaftMessageWire}, {@code ClusterMessageWire}) in the order of
 * the record's components. Kryo supplies the registry (registration required, every class under the
 * fixed id of {@code KryoRegistrations}), the variable-length integer encoding and the pooled
 * buffers. Every length read from the wire is checked against the bytes actually left before
 * anything is allocated, so no input can make the decoder allocate more than the frame's size.
 *
 * <p>Changing the fields of a message changes its wire format, which {@code WireFormatTest} pins
 * byte for byte: either bump {@link io.tinykv.raft.protocol.codec.PeerProtocol#VERSION} (nodes of
 * different versions then refuse each other's frames), or register the new shape under a new id and
 * keep reading the old one, so that mixed versions keep understanding each other.
 */
package io.tinykv.raft.protocol.codec.kryo;
