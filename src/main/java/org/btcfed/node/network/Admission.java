package org.btcfed.node.network;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.jspecify.annotations.Nullable;
import org.btcfed.node.network.yamux.YamuxConfig;
import org.btcfed.node.network.yamux.YamuxSession;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Who may connect, and on what terms: the peers of {@code peers.yaml}, at most
 * {@code network.max_connections} connections (authenticated or still in the handshake), one
 * session per peer, under the node's current identity and handshake timeout.
 * <p>
 * As every connection's {@link Upgrader.Listener} it counts failed upgrades, and either registers
 * an authenticated peer (starting its yamux session, whose streams go to the protocol layer, and
 * telling the {@link Dialer}) or refuses it with a {@link RejectReason}. A lost session of an admitted peer is
 * dialled again with backoff.
 * <p>
 * Thread-safe: reloads replace the settings (each one reference) while event loops read them, and
 * every authenticated connection is checked once more after it is registered, so that a reload
 * running during its handshake cannot be missed.
 */
final class Admission implements Upgrader.Listener {

	private static final Log logger = LogFactory.getLog(Admission.class);

	private final PeerConnections connections = new PeerConnections(Clock.systemDefaultZone());

	private final ReadGate gate;

	private final Dialer dialer;

	private final ObjectProvider<ProtocolDispatcher> dispatcher;

	private volatile NodeKey key;

	private volatile int maxConnections;

	private volatile long timeoutMillis;

	private volatile Map<String, Peer> peers = Map.of();

	/**
	 * Admits no peer until {@link #admitOnly} names them.
	 * @param key the node's identity
	 * @param maxConnections the limit on connections
	 * @param gate every open channel, to count those in the handshake
	 * @param dialer told when a session starts and ends
	 * @param dispatcher the protocol layer, given every session
	 */
	Admission(NodeKey key, int maxConnections, ReadGate gate, Dialer dialer,
			ObjectProvider<ProtocolDispatcher> dispatcher) {
		this.key = key;
		this.maxConnections = maxConnections;
		this.gate = gate;
		this.dialer = dialer;
		this.dispatcher = dispatcher;
	}

	/**
	 * Admits exactly these peers from now on and closes the sessions of the others (revocation).
	 * @param peers the configured peers
	 * @param connectionTimeout how long a handshake may take, from the next one
	 */
	void admitOnly(List<Peer> peers, Duration connectionTimeout) {
		Map<String, Peer> next = new LinkedHashMap<>();
		peers.forEach(peer -> next.put(peer.publicKey(), peer));
		this.peers = Map.copyOf(next);
		this.timeoutMillis = connectionTimeout.toMillis();
		for (Connection connection : this.connections.all()) {
			if (!next.containsKey(connection.peerKey())) {
				connection.close(RejectReason.REVOKED);
			}
		}
	}

	/**
	 * A lower limit refuses new connections only: those established stay.
	 * @param maxConnections the limit on connections
	 */
	void setMaxConnections(int maxConnections) {
		this.maxConnections = maxConnections;
	}

	/**
	 * Changes the node's identity; every session made under the old one is closed, to be made
	 * again under the new one.
	 * @param newKey the node's key
	 */
	void setIdentity(NodeKey newKey) {
		if (!newKey.equals(this.key)) {
			this.key = newKey;
			logger.info("Node identity changed to " + newKey.publicKeyBase64() + ": every session re-handshakes");
			this.connections.all().forEach(connection -> connection.close(RejectReason.KEY_ROTATED));
		}
	}

	Set<String> admittedKeys() {
		return this.peers.keySet();
	}

	NodeKey identity() {
		return this.key;
	}

	long handshakeTimeoutMillis() {
		return this.timeoutMillis;
	}

	PeerConnections connections() {
		return this.connections;
	}

	/**
	 * Where to dial a peer now: one of its addresses in turn, or null when it is not admitted, has
	 * no address, is connected already or the limit is reached.
	 * @param peerKey the peer
	 * @param attempt how many dials were made since its last session
	 * @return the address, or null
	 */
	@Nullable Multiaddr dialTarget(String peerKey, int attempt) {
		Peer peer = this.peers.get(peerKey);
		if (peer == null || peer.addresses().isEmpty() || this.connections.get(peerKey) != null
				|| this.connections.size() >= this.maxConnections) {
			return null;
		}
		return peer.addresses().get(attempt % peer.addresses().size());
	}

	/**
	 * Connections still in the handshake are bounded like authenticated ones: no more than
	 * {@code network.max_connections} at once, so a flood of unknown clients cannot exhaust the node.
	 * @param channel a new channel, not yet registered with the gate
	 * @return whether it may start a handshake
	 */
	boolean roomForHandshake(SocketChannel channel) {
		int handshaking = this.gate.channelCount() - this.connections.size();
		if (handshaking < this.maxConnections) {
			return true;
		}
		channel.attr(Connection.CLOSE_REASON).set(RejectReason.CONNECTION_LIMIT);
		this.connections.countRejected(RejectReason.CONNECTION_LIMIT, String.valueOf(channel.remoteAddress()),
				handshaking + " connections are in the handshake already");
		return false;
	}

	@Override
	public boolean admits(String peerKey) {
		return this.peers.containsKey(peerKey);
	}

	@Override
	public @Nullable String overLimit(String peerKey) {
		int limit = this.maxConnections;
		boolean connected = this.connections.get(peerKey) != null;
		return (!connected && this.connections.size() >= limit) ? "network.max_connections is " + limit : null;
	}

	@Override
	public void authenticated(ChannelHandlerContext ctx, String peerKey) {
		Channel channel = ctx.channel();
		Direction direction = channel.attr(ChannelSetup.DIRECTION).get();
		if (!admits(peerKey)) {
			refuse(ctx, peerKey, RejectReason.UNKNOWN_PEER,
					"key " + peerKey + " was removed from peers.yaml during the handshake");
			return;
		}
		ProtocolDispatcher protocols = this.dispatcher.getIfAvailable(() -> NoProtocols.INSTANCE);
		Connection[] registered = new Connection[1];
		YamuxSession session = new YamuxSession(direction == Direction.OUTBOUND, YamuxConfig.defaults(),
				stream -> (registered[0] != null) ? ProtocolStream.accept(registered[0], stream, protocols) : null);
		Connection connection = new Connection(this.connections.nextId(), peerKey, direction,
				Multiaddr.of((InetSocketAddress) channel.remoteAddress()), channel, session);
		int limit = this.maxConnections;
		PeerConnections.Registration registration = this.connections.register(connection, this.key.publicKey(), limit);
		if (registration.limitReached()) {
			refuse(ctx, peerKey, RejectReason.CONNECTION_LIMIT, "network.max_connections is " + limit);
			return;
		}
		if (!registration.accepted()) {
			refuse(ctx, peerKey, RejectReason.DUPLICATE,
					"the connection " + this.connections.get(peerKey) + " is kept");
			return;
		}
		registered[0] = connection;
		channel.pipeline().addBefore(ChannelSetup.EXCEPTIONS, ChannelSetup.SESSION, session);
		channel.closeFuture().addListener(future -> closed(connection, protocols));
		this.dialer.connected(peerKey);
		logger.info("Peer " + peerKey + " connected: " + connection.id() + " " + direction + " "
				+ channel.remoteAddress());
		protocols.connected(connection);
		Connection loser = registration.displaced();
		if (loser != null) {
			loser.close(RejectReason.DUPLICATE);
		}
		// Checked again once registered: a reload that revoked the peer or changed this node's key
		// while the handshake ran has either seen this connection or is seen here.
		if (!admits(peerKey)) {
			connection.close(RejectReason.REVOKED);
		}
		else if (!this.key.equals(channel.attr(ChannelSetup.IDENTITY).get())) {
			connection.close(RejectReason.KEY_ROTATED);
		}
	}

	/** Closes an authenticated channel that is not kept, counted once like a failed handshake. */
	private void refuse(ChannelHandlerContext ctx, String peerKey, RejectReason reason, String detail) {
		if (ctx.channel().attr(Connection.CLOSE_REASON).setIfAbsent(reason) == null) {
			rejected(ctx, reason, peerKey, detail);
		}
		ctx.channel().close();
	}

	/**
	 * A session ended: counted by its reason, and an admitted peer is dialled again (a stopped
	 * dialler ignores that).
	 */
	private void closed(Connection connection, ProtocolDispatcher protocols) {
		this.connections.unregister(connection);
		RejectReason reason = connection.channel().attr(Connection.CLOSE_REASON).get();
		this.connections.countClosed(connection, (reason != null) ? reason : RejectReason.CLOSED_BY_PEER,
				connection.channel().attr(ChannelSetup.CLOSE_DETAIL).get());
		protocols.disconnected(connection);
		if (admits(connection.peerKey())) {
			this.dialer.schedule(connection.peerKey(), true);
		}
	}

	@Override
	public void rejected(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey, String detail) {
		SocketAddress remote = ctx.channel().remoteAddress();
		String who = ctx.channel().attr(ChannelSetup.DIRECTION).get() + " " + remote;
		if (reason == RejectReason.UNKNOWN_PEER && peerKey != null) {
			String host = (remote instanceof InetSocketAddress inet) ? inet.getHostString() : String.valueOf(remote);
			this.connections.countUnknownPeer(who, peerKey, host, detail);
		}
		else {
			this.connections.countRejected(reason, who, detail);
		}
	}

}
