package org.btcfed.node.network;

import java.time.Instant;
import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.AttributeKey;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.network.yamux.YamuxSession;
import org.jspecify.annotations.Nullable;

/**
 * One authenticated libp2p connection to a federation peer: TCP, secured by Noise, multiplexed
 * by yamux. Its id is unique for the life of the process: the same id before and after a reload
 * means the same TCP connection.
 */
public final class Connection {

	static final AttributeKey<RejectReason> CLOSE_REASON = AttributeKey.valueOf("btcfed.closeReason");

	/** yamux GO_AWAY code for a normal close. */
	private static final int GO_AWAY_NORMAL = 0;

	private final String id;

	private final String peerKey;

	private final Direction direction;

	private final Multiaddr remoteAddress;

	private final Instant connectedSince;

	private final Channel channel;

	private final YamuxSession session;

	private volatile @Nullable Identified identified;

	/**
	 * What the peer said of itself in identify.
	 * @param agentVersion its software, e.g. {@code btcfed-node/1.0.0} or a go-libp2p module path
	 * @param protocols the protocols it serves
	 * @param listenAddresses where it listens
	 */
	public record Identified(String agentVersion, List<String> protocols, List<Multiaddr> listenAddresses) {
	}

	Connection(String id, String peerKey, Direction direction, Multiaddr remoteAddress, Channel channel,
			YamuxSession session) {
		this.id = id;
		this.peerKey = peerKey;
		this.direction = direction;
		this.remoteAddress = remoteAddress;
		this.connectedSince = Instant.now();
		this.channel = channel;
		this.session = session;
	}

	/**
	 * @return the connection id, e.g. {@code c-17}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * @return the peer's public key, base64, as in peers.yaml
	 */
	public String peerKey() {
		return this.peerKey;
	}

	/**
	 * @return the peer's libp2p id, authenticated by Noise
	 */
	public PeerId peerId() {
		return PeerId.of(NodeKey.parsePublicKey(this.peerKey));
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
	 * @return when the connection was authenticated
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

	/**
	 * @return what the peer told of itself, once identify ran, else null
	 */
	public @Nullable Identified identified() {
		return this.identified;
	}

	/**
	 * @param identified what the peer told of itself
	 */
	public void identified(Identified identified) {
		this.identified = identified;
	}

	Channel channel() {
		return this.channel;
	}

	YamuxSession session() {
		return this.session;
	}

	/**
	 * Opens a stream for a protocol. Safe from any thread.
	 * @param protocol the protocol id, e.g. {@code /ipfs/ping/1.0.0}
	 * @param handler what to do with the stream
	 * @return the stream, writable at once (writes wait for the remote to accept the protocol)
	 */
	public ProtocolStream openStream(String protocol, ProtocolStreamHandler handler) {
		return ProtocolStream.open(this, protocol, handler);
	}

	/**
	 * Closes the connection, recording why: the peer is told with a yamux GO_AWAY first.
	 * @param reason the reason, counted and logged
	 * @return the close future
	 */
	public ChannelFuture close(RejectReason reason) {
		return close(reason, null);
	}

	/**
	 * Closes the connection, recording why: the peer is told with a yamux GO_AWAY first.
	 * @param reason the reason, counted and logged
	 * @param detail what happened, for the log line
	 * @return the close future
	 */
	public ChannelFuture close(RejectReason reason, @Nullable String detail) {
		if (this.channel.attr(CLOSE_REASON).setIfAbsent(reason) == null && detail != null) {
			this.channel.attr(ChannelSetup.CLOSE_DETAIL).setIfAbsent(detail);
		}
		if (this.channel.isActive() && this.channel.pipeline().get(YamuxSession.class) == this.session) {
			this.session.goAway(GO_AWAY_NORMAL);
		}
		return this.channel.close();
	}

	@Override
	public String toString() {
		return this.id + "[" + this.direction + " " + this.peerKey + " " + this.remoteAddress + "]";
	}

}
