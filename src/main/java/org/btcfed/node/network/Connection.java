package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import org.btcfed.node.config.Multiaddr;

/**
 * One authenticated connection to a federation peer. Its id is unique for the life of the
 * process: the same id before and after a reload means the same TCP connection.
 */
public final class Connection {

	static final AttributeKey<RejectReason> CLOSE_REASON = AttributeKey.valueOf("btcfed.closeReason");

	private final String id;

	private final String peerKey;

	private final Direction direction;

	private final Multiaddr remoteAddress;

	private final Instant connectedSince;

	private final Channel channel;

	Connection(String id, String peerKey, Direction direction, Multiaddr remoteAddress, Channel channel) {
		this.id = id;
		this.peerKey = peerKey;
		this.direction = direction;
		this.remoteAddress = remoteAddress;
		this.connectedSince = Instant.now();
		this.channel = channel;
	}

	/**
	 * @return the connection id, e.g. {@code c-17}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * @return the peer's public key, base64
	 */
	public String peerKey() {
		return this.peerKey;
	}

	/**
	 * @return who opened the connection
	 */
	public Direction direction() {
		return this.direction;
	}

	/**
	 * @return the peer's address as seen on this connection
	 */
	public Multiaddr remoteAddress() {
		return this.remoteAddress;
	}

	/**
	 * @return when the handshake completed
	 */
	public Instant connectedSince() {
		return this.connectedSince;
	}

	/**
	 * @return whether the connection is still open
	 */
	public boolean isOpen() {
		return this.channel.isActive();
	}

	Channel channel() {
		return this.channel;
	}

	/**
	 * Sends a protocol message. Safe from any thread; messages sent from one thread keep their
	 * order.
	 * @param protocol the protocol id (ASCII, at most 255 bytes)
	 * @param payload the message
	 * @return the write's future
	 */
	public ChannelFuture send(String protocol, byte[] payload) {
		byte[] id = protocol.getBytes(StandardCharsets.US_ASCII);
		ByteBuf frame = this.channel.alloc().buffer(4 + 2 + id.length + payload.length);
		frame.writeInt(2 + id.length + payload.length);
		frame.writeByte(Wire.PROTOCOL);
		frame.writeByte(id.length);
		frame.writeBytes(id);
		frame.writeBytes(payload);
		return this.channel.writeAndFlush(frame);
	}

	/**
	 * Closes the connection, recording why.
	 * @param reason the reason, counted and logged
	 * @return the close future
	 */
	public ChannelFuture close(RejectReason reason) {
		this.channel.attr(CLOSE_REASON).setIfAbsent(reason);
		return this.channel.close();
	}

	@Override
	public String toString() {
		return this.id + "[" + this.direction + " " + this.peerKey + " " + this.remoteAddress + "]";
	}

}
