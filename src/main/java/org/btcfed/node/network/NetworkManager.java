package org.btcfed.node.network;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.ReloadStrategy;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The node's P2P network: listens on {@code network.addresses}, dials every configured peer it is
 * not connected to (with backoff), authenticates both directions, keeps one connection per peer,
 * and hands sessions to the {@link ProtocolDispatcher}.
 * <p>
 * As a {@link HotReloadable} it owns {@code network.*} (in place: new listeners open before old
 * ones close, established connections stay; a lower {@code max_connections} only refuses new
 * ones) and {@code node.private_key} (restart: every session re-handshakes with the new
 * identity). Peer admission and dialling follow the peer store's list via {@link #updatePeers}.
 * {@link #apply} moves from what actually runs to the target, so rollback is the same call.
 */
@Component
public class NetworkManager implements HotReloadable, HandshakeHandler.Listener, DisposableBean {

	private static final Log logger = LogFactory.getLog(NetworkManager.class);

	private final Transport transport = Transport.best();

	private final EventLoopGroup boss = this.transport.newGroup(1);

	private final EventLoopGroup workers = this.transport.newGroup(0);

	private final ReadGate gate;

	private final ObjectProvider<ProtocolDispatcher> dispatcher;

	private final PeerConnections connections = new PeerConnections();

	private final Dialer dialer;

	private final Listeners listeners;

	private volatile NodeKey key;

	private volatile int maxConnections;

	private final FrameLimit frameLimit = new FrameLimit();

	private volatile long timeoutMillis;

	private volatile Map<String, Peer> peers = Map.of();

	private volatile boolean running = true;

	/**
	 * Starts listening and dialling with the start-up configuration.
	 * @param startupConfig the configuration the node started with
	 * @param gate pauses reads while components change
	 * @param dispatcher the protocol layer
	 * @throws ConfigException when a listen address cannot be bound, placed where it is written
	 */
	public NetworkManager(ConfigSnapshot startupConfig, ReadGate gate, ObjectProvider<ProtocolDispatcher> dispatcher) {
		this.gate = gate;
		this.dispatcher = dispatcher;
		this.key = Objects.requireNonNull(startupConfig.config().node().key());
		this.maxConnections = startupConfig.config().network().maxConnections();
		setMaxMessageSize((int) startupConfig.config().protocol().maxMessageSize().toBytes());
		Bootstrap bootstrap = new Bootstrap().group(this.workers)
			.channel(this.transport.socketChannel())
			.option(ChannelOption.TCP_NODELAY, true)
			.handler(setup(Direction.OUTBOUND));
		this.dialer = new Dialer(bootstrap, this.workers, this::dialTarget);
		// Peers first: a peer dialling in the moment a listener opens must find itself admitted,
		// under the configured handshake timeout (not none and 0 ms).
		updatePeers(startupConfig.peers(), startupConfig.config().peers().connectionTimeout());
		this.listeners = new Listeners(this.transport, this.boss, this.workers, setup(Direction.INBOUND));
		try {
			this.listeners.rebind(startupConfig.config().network().addresses());
		}
		catch (ListenException ex) {
			destroy();
			throw ex.asStartupError(startupConfig);
		}
	}

	private ChannelSetup setup(Direction direction) {
		return new ChannelSetup(direction, () -> this.key, () -> this.timeoutMillis, this::frameLimit,
				this.gate, this, this::roomForHandshake);
	}

	/**
	 * Connections still in the handshake are bounded like authenticated ones: no more than
	 * {@code network.max_connections} at once, so a flood of unknown clients cannot exhaust the node.
	 */
	private boolean roomForHandshake(io.netty.channel.socket.SocketChannel channel) {
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
	public String name() {
		return "network";
	}

	@Override
	public Set<String> ownedKeys() {
		return Set.of("network", "node.private_key");
	}

	@Override
	public ReloadStrategy strategy(String key) {
		return "node.private_key".equals(key) ? ReloadStrategy.RESTART : ReloadStrategy.IN_PLACE;
	}

	@Override
	public Isolation isolate() {
		return this.gate.pause();
	}

	@Override
	public void apply(ComponentUpdate update) throws Exception {
		ConfigSnapshot target = update.target();
		try {
			this.listeners.rebind(target.config().network().addresses());
		}
		catch (ListenException ex) {
			throw ex.asReloadFailure();
		}
		this.maxConnections = target.config().network().maxConnections();
		NodeKey newKey = Objects.requireNonNull(target.config().node().key());
		if (!newKey.equals(this.key)) {
			this.key = newKey;
			logger.info("Node identity changed to " + newKey.publicKeyBase64() + ": every session re-handshakes");
			this.connections.all().forEach(connection -> connection.close(RejectReason.KEY_ROTATED));
		}
	}

	/**
	 * Follows the peer store: admits exactly these peers, disconnects the others (revocation),
	 * and dials those not connected; changed addresses are used from the next dial.
	 * @param peers the configured peers
	 * @param connectionTimeout how long a dial and handshake may take
	 */
	public void updatePeers(List<Peer> peers, Duration connectionTimeout) {
		Map<String, Peer> next = new LinkedHashMap<>();
		peers.forEach(peer -> next.put(peer.publicKey(), peer));
		this.peers = Map.copyOf(next);
		this.timeoutMillis = connectionTimeout.toMillis();
		this.dialer.setTimeout(connectionTimeout);
		for (Connection connection : this.connections.all()) {
			if (!next.containsKey(connection.peerKey())) {
				connection.close(RejectReason.REVOKED);
			}
		}
		next.keySet().forEach(peer -> this.dialer.schedule(peer, false));
	}

	/** The address to dial for a peer, or null when it should not be dialled now. */
	private Multiaddr dialTarget(String peerKey, int attempt) {
		Peer peer = this.peers.get(peerKey);
		if (!this.running || peer == null || peer.addresses().isEmpty() || this.connections.get(peerKey) != null
				|| this.connections.size() >= this.maxConnections) {
			return null;
		}
		return peer.addresses().get(attempt % peer.addresses().size());
	}

	/**
	 * Sets the largest protocol message accepted; frames may carry that plus a small header.
	 * @param bytes the largest message
	 */
	public void setMaxMessageSize(int bytes) {
		this.frameLimit.set(bytes + Wire.PROTOCOL_OVERHEAD);
	}

	int frameLimit() {
		return this.frameLimit.get();
	}

	@Override
	public boolean admits(String peerKey) {
		return this.peers.containsKey(peerKey);
	}

	@Override
	public void authenticated(ChannelHandlerContext ctx, String peerKey) {
		Channel channel = ctx.channel();
		Direction direction = channel.attr(ChannelSetup.DIRECTION).get();
		String who = direction + " " + channel.remoteAddress();
		if (!admits(peerKey)) {
			refuse(ctx, peerKey, RejectReason.UNKNOWN_PEER,
					"key " + peerKey + " was removed from peers.yaml during the handshake");
			return;
		}
		Connection connection = new Connection(this.connections.nextId(), peerKey, direction,
				Multiaddr.of((InetSocketAddress) channel.remoteAddress()), channel);
		PeerConnections.Registration registration = this.connections.register(connection, this.key.publicKey(),
				this.maxConnections);
		if (registration.limitReached()) {
			refuse(ctx, peerKey, RejectReason.CONNECTION_LIMIT, "network.max_connections is " + this.maxConnections);
			return;
		}
		if (!registration.accepted()) {
			refuse(ctx, peerKey, RejectReason.DUPLICATE,
					"the connection " + this.connections.get(peerKey) + " is kept");
			return;
		}
		Connection loser = registration.displaced();
		ProtocolDispatcher protocols = this.dispatcher.getIfAvailable(() -> NoProtocols.INSTANCE);
		channel.pipeline().addBefore(ChannelSetup.EXCEPTIONS, ChannelSetup.SESSION,
				new SessionHandler(connection, protocols));
		channel.closeFuture().addListener(future -> closed(connection, protocols));
		this.dialer.connected(peerKey);
		logger.info("Peer " + peerKey + " connected: " + connection.id() + " " + who);
		protocols.connected(connection);
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

	private void closed(Connection connection, ProtocolDispatcher protocols) {
		this.connections.unregister(connection);
		RejectReason reason = connection.channel().attr(Connection.CLOSE_REASON).get();
		this.connections.countClosed(connection, (reason != null) ? reason : RejectReason.CLOSED_BY_PEER,
				connection.channel().attr(ChannelSetup.CLOSE_DETAIL).get());
		protocols.disconnected(connection);
		if (this.running && admits(connection.peerKey())) {
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

	/**
	 * @return the open connections
	 */
	public Collection<Connection> connections() {
		return this.connections.all();
	}

	/**
	 * @param peerKey a peer's public key
	 * @return its connection, or null
	 */
	public Connection connection(String peerKey) {
		return this.connections.get(peerKey);
	}

	/**
	 * @return the addresses listened on, as bound (a configured port 0 shows the real port)
	 */
	public List<Multiaddr> listenAddresses() {
		return this.listeners.addresses();
	}

	/**
	 * @return the node's public key, base64
	 */
	public String publicKey() {
		return this.key.publicKeyBase64();
	}

	/**
	 * @return counters: admitted, and rejected and closed by reason
	 */
	public NetworkCounters counters() {
		return new NetworkCounters(this.connections.admitted(), this.connections.rejectedByReason(),
				this.connections.closedByReason());
	}

	/** Last resort after a failed rollback and restore: no listening, no connections, no dialling. */
	@Override
	public void stop() {
		destroy();
	}

	@Override
	public void destroy() {
		this.running = false;
		this.connections.all().forEach(connection -> connection.close(RejectReason.SHUTDOWN));
		this.listeners.closeAll();
		this.dialer.stop();
		this.boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
		this.workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
	}

}
