package org.btcfed.node.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.netty.handler.codec.CorruptedFrameException;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.PeerId;
import org.jspecify.annotations.Nullable;

/**
 * libp2p's identify message ({@code /ipfs/id/1.0.0} and {@code /ipfs/id/push/1.0.0}), read and
 * written by hand with protobuf-java's coded streams:
 * <pre>
 * message Identify { optional bytes publicKey = 1; repeated bytes listenAddrs = 2; repeated string protocols = 3;
 *                    optional bytes observedAddr = 4; optional string protocolVersion = 5;
 *                    optional string agentVersion = 6; optional bytes signedPeerRecord = 8; }
 * </pre>
 * Fields are written in field order, absent ones not at all; {@code signedPeerRecord} is never
 * written and skipped when read, as are unknown fields. A peer may send several messages on one
 * stream (go splits large ones): {@link #merge} combines them as protobuf merging does.
 * <p>
 * Immutable: arrays are copied in and out.
 *
 * @param publicKey the sender's {@code PublicKey} protobuf ({@code 08 01 12 20 <key>} for Ed25519)
 * @param listenAddrs the sender's listen addresses, binary multiaddrs (see {@link #listenMultiaddrs()})
 * @param protocols the protocol ids the sender accepts streams for
 * @param observedAddr the receiver's address as the sender sees it, a binary multiaddr
 * @param protocolVersion e.g. {@code ipfs/0.1.0} (js); go v0.32 sends an empty string
 * @param agentVersion e.g. go's main module path and version
 */
public record IdentifyMessage(byte @Nullable [] publicKey, List<byte[]> listenAddrs, List<String> protocols,
		byte @Nullable [] observedAddr, @Nullable String protocolVersion, @Nullable String agentVersion) {

	/** The identify protocol id: the opener reads, the other side answers. */
	public static final String PROTOCOL = "/ipfs/id/1.0.0";

	/** The push protocol id: the opener writes one (partial) message. */
	public static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";

	/** Largest message accepted, as go's {@code signedIDSize} and js's default. */
	public static final int MAX_MESSAGE_SIZE = 8 * 1024;

	private static final int SIGNED_PEER_RECORD = 8;

	public IdentifyMessage {
		publicKey = (publicKey != null) ? publicKey.clone() : null;
		listenAddrs = listenAddrs.stream().map(byte[]::clone).toList();
		protocols = List.copyOf(protocols);
		observedAddr = (observedAddr != null) ? observedAddr.clone() : null;
	}

	@Override
	public byte @Nullable [] publicKey() {
		return (this.publicKey != null) ? this.publicKey.clone() : null;
	}

	@Override
	public List<byte[]> listenAddrs() {
		return this.listenAddrs.stream().map(byte[]::clone).toList();
	}

	@Override
	public byte @Nullable [] observedAddr() {
		return (this.observedAddr != null) ? this.observedAddr.clone() : null;
	}

	/**
	 * The listen addresses this node can dial; others (e.g. QUIC, relayed) are left out.
	 * @return the TCP addresses, in order
	 */
	public List<Multiaddr> listenMultiaddrs() {
		List<Multiaddr> addresses = new ArrayList<>();
		for (byte[] bytes : this.listenAddrs) {
			try {
				addresses.add(Multiaddr.fromBytes(bytes));
			}
			catch (IllegalArgumentException ex) {
				// Not TCP over IP or DNS: not for this node, as a go node ignores transports it lacks.
			}
		}
		return addresses;
	}

	/**
	 * The peer id of {@link #publicKey()}, when it is an Ed25519 key.
	 * @return the id, or {@code null} when there is no key or it is of another type
	 */
	public @Nullable PeerId peerId() {
		byte[] key = this.publicKey;
		if (key == null || key.length != 36) {
			return null;
		}
		byte[] raw = Arrays.copyOfRange(key, 4, 36);
		return Arrays.equals(PeerId.publicKeyProtobuf(raw), key) ? PeerId.of(raw) : null;
	}

	/**
	 * Combines this message with one that followed it on the same stream: fields the later one
	 * sets replace these, repeated fields are appended.
	 * @param later the later message
	 * @return the combination
	 */
	public IdentifyMessage merge(IdentifyMessage later) {
		List<byte[]> addrs = new ArrayList<>(this.listenAddrs);
		addrs.addAll(later.listenAddrs);
		List<String> ids = new ArrayList<>(this.protocols);
		ids.addAll(later.protocols);
		return new IdentifyMessage(or(later.publicKey, this.publicKey), addrs, ids,
				or(later.observedAddr, this.observedAddr), or(later.protocolVersion, this.protocolVersion),
				or(later.agentVersion, this.agentVersion));
	}

	private static <T> @Nullable T or(@Nullable T first, @Nullable T second) {
		return (first != null) ? first : second;
	}

	/**
	 * Writes the message (without the length prefix the stream adds).
	 * @return the protobuf bytes
	 */
	public byte[] encode() {
		int size = 0;
		if (this.publicKey != null) {
			size += CodedOutputStream.computeByteArraySize(1, this.publicKey);
		}
		for (byte[] addr : this.listenAddrs) {
			size += CodedOutputStream.computeByteArraySize(2, addr);
		}
		for (String protocol : this.protocols) {
			size += CodedOutputStream.computeStringSize(3, protocol);
		}
		if (this.observedAddr != null) {
			size += CodedOutputStream.computeByteArraySize(4, this.observedAddr);
		}
		if (this.protocolVersion != null) {
			size += CodedOutputStream.computeStringSize(5, this.protocolVersion);
		}
		if (this.agentVersion != null) {
			size += CodedOutputStream.computeStringSize(6, this.agentVersion);
		}
		byte[] bytes = new byte[size];
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		try {
			if (this.publicKey != null) {
				out.writeByteArray(1, this.publicKey);
			}
			for (byte[] addr : this.listenAddrs) {
				out.writeByteArray(2, addr);
			}
			for (String protocol : this.protocols) {
				out.writeString(3, protocol);
			}
			if (this.observedAddr != null) {
				out.writeByteArray(4, this.observedAddr);
			}
			if (this.protocolVersion != null) {
				out.writeString(5, this.protocolVersion);
			}
			if (this.agentVersion != null) {
				out.writeString(6, this.agentVersion);
			}
			out.checkNoSpaceLeft();
		}
		catch (IOException ex) {
			throw new IllegalStateException("the computed size of an Identify message was wrong", ex);
		}
		return bytes;
	}

	/**
	 * Reads one message.
	 * @param bytes the protobuf bytes (without the length prefix)
	 * @return the message; fields not sent are {@code null} or empty
	 * @throws CorruptedFrameException when the bytes are not a valid Identify protobuf
	 */
	public static IdentifyMessage decode(byte[] bytes) {
		CodedInputStream in = CodedInputStream.newInstance(bytes);
		byte[] publicKey = null;
		List<byte[]> listenAddrs = new ArrayList<>();
		List<String> protocols = new ArrayList<>();
		byte[] observedAddr = null;
		String protocolVersion = null;
		String agentVersion = null;
		try {
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				int field = WireFormat.getTagFieldNumber(tag);
				boolean known = (field >= 1 && field <= 6) || field == SIGNED_PEER_RECORD;
				if (known && WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
					throw new CorruptedFrameException("malformed Identify message: field " + field + " has wire type "
							+ WireFormat.getTagWireType(tag) + ", expected 2 (length-delimited)");
				}
				switch (field) {
					case 1 -> publicKey = in.readByteArray();
					case 2 -> listenAddrs.add(in.readByteArray());
					case 3 -> protocols.add(in.readString());
					case 4 -> observedAddr = in.readByteArray();
					case 5 -> protocolVersion = in.readString();
					case 6 -> agentVersion = in.readString();
					default -> {
						if (!in.skipField(tag)) {
							throw new CorruptedFrameException("malformed Identify message: unexpected end-group tag");
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new CorruptedFrameException("malformed Identify message: " + ex.getMessage(), ex);
		}
		return new IdentifyMessage(publicKey, listenAddrs, protocols, observedAddr, protocolVersion, agentVersion);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof IdentifyMessage that && Arrays.equals(this.publicKey, that.publicKey)
				&& this.listenAddrs.size() == that.listenAddrs.size()
				&& Arrays.deepEquals(this.listenAddrs.toArray(), that.listenAddrs.toArray())
				&& this.protocols.equals(that.protocols) && Arrays.equals(this.observedAddr, that.observedAddr)
				&& Objects.equals(this.protocolVersion, that.protocolVersion)
				&& Objects.equals(this.agentVersion, that.agentVersion);
	}

	@Override
	public int hashCode() {
		return Objects.hash(Arrays.hashCode(this.publicKey), Arrays.deepHashCode(this.listenAddrs.toArray()),
				this.protocols, Arrays.hashCode(this.observedAddr), this.protocolVersion, this.agentVersion);
	}

	@Override
	public String toString() {
		return "IdentifyMessage[peerId=" + peerId() + ", listenAddrs=" + listenMultiaddrs() + ", protocols="
				+ this.protocols + ", protocolVersion=" + this.protocolVersion + ", agentVersion=" + this.agentVersion + "]";
	}

}
