package org.btcfed.node.network;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.Peer;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.ReloadStrategy;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The node's P2P network: listens on {@code network.addresses}, dials every configured peer it is
 * not connected to (with backoff), and lets its {@code Admission} decide who stays connected and
 * hand their sessions to the {@link ProtocolDispatcher}.
 * <p>
 * As a {@link SmartLifecycle} it opens its listeners and starts dialling in {@link #start()}
 * (nothing is bound while the context is built) and closes everything in {@link #stop()}; the
 * event loops end with the bean. A stopped network does not start again.
 * <p>
 * As a {@link HotReloadable} it owns {@code network.*} (in place: new listeners open before old
 * ones close, established connections stay; a lower {@code max_connections} only refuses new
 * ones) and {@code node.private_key} (restart: every session re-handshakes with the new
 * identity). Peer admission and dialling follow the peer store's list via {@link #updatePeers}.
 * {@link #apply} moves from what actually runs to the target, so rollback is the same call.
 */
@Component
public class NetworkManager implements HotReloadable, SmartLifecycle, DisposableBean {

	/**
	 * Started before the web server ({@code DEFAULT_PHASE - 2048}) and the file watch
	 * ({@code DEFAULT_PHASE}), stopped after them: no reload reaches a network that does not
	 * listen yet or is going away.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final Transport transport = Transport.best();

	private final EventLoopGroup boss = this.transport.newGroup(1);

	private final EventLoopGroup workers = this.transport.newGroup(0);

	private final ConfigSnapshot startupConfig;

	private final ReadGate gate;

	private final Dialer dialer;

	private final Admission admission;

	private final Listeners listeners;

	private final ObjectProvider<ProtocolDispatcher> dispatcher;

	private volatile boolean running;

	private volatile boolean stopped;

	/**
	 * Prepares the network for the start-up configuration; {@link #start()} binds and dials.
	 * @param startupConfig the configuration the node started with
	 * @param gate pauses reads while components change
	 * @param dispatcher the protocol layer
	 */
	public NetworkManager(ConfigSnapshot startupConfig, ReadGate gate, ObjectProvider<ProtocolDispatcher> dispatcher) {
		this.startupConfig = startupConfig;
		this.gate = gate;
		this.dispatcher = dispatcher;
		Bootstrap bootstrap = new Bootstrap().group(this.workers)
			.channel(this.transport.socketChannel())
			.option(ChannelOption.TCP_NODELAY, true);
		this.dialer = new Dialer(bootstrap, this.workers, this::dialTarget);
		this.admission = new Admission(Objects.requireNonNull(startupConfig.config().node().key()),
				startupConfig.config().network().maxConnections(), gate, this.dialer, dispatcher);
		// Set once both exist: a dialled channel reports to the admission, which tells the dialer.
		bootstrap.handler(setup(Direction.OUTBOUND));
		this.listeners = new Listeners(this.transport, this.boss, this.workers, setup(Direction.INBOUND));
		// Peers before any listener opens: a peer dialling in the moment one does must find itself
		// admitted, under the configured handshake timeout (not none and 0 ms).
		updatePeers(startupConfig.peers(), startupConfig.config().peers().connectionTimeout());
	}

	private ChannelSetup setup(Direction direction) {
		return new ChannelSetup(direction, this.admission::identity, this.admission::handshakeTimeoutMillis,
				this.gate, this.admission, this.admission::roomForHandshake);
	}

	/**
	 * Listens on the start-up {@code network.addresses}, then dials the configured peers.
	 * @throws ConfigException when a listen address cannot be bound, placed where it is written
	 * @throws IllegalStateException when the network was stopped
	 */
	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		if (this.stopped) {
			throw new IllegalStateException("The network was stopped and does not start again");
		}
		try {
			this.listeners.rebind(this.startupConfig.config().network().addresses());
		}
		catch (ListenException ex) {
			throw ex.asStartupError(this.startupConfig);
		}
		this.running = true;
		dialAll();
	}

	/**
	 * Stops dialling, closes every connection ({@code SHUTDOWN}) and stops listening: at shutdown,
	 * and as the reload engine's last resort after a failed rollback and restore.
	 */
	@Override
	public synchronized void stop() {
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		this.running = false;
		this.dialer.stop();
		this.admission.connections().all().forEach(connection -> connection.close(RejectReason.SHUTDOWN));
		this.listeners.closeAll();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public void destroy() {
		stop();
		this.boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
		this.workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
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
		List<Multiaddr> before = listenAddresses();
		try {
			this.listeners.rebind(target.config().network().addresses());
		}
		catch (ListenException ex) {
			throw ex.asReloadFailure();
		}
		List<Multiaddr> after = listenAddresses();
		if (!after.equals(before)) {
			// Peers learn the new addresses by identify push; every session stays.
			this.dispatcher.ifAvailable(protocols -> protocols.listenAddressesChanged(after));
		}
		this.admission.setMaxConnections(target.config().network().maxConnections());
		this.admission.setIdentity(Objects.requireNonNull(target.config().node().key()));
	}

	/**
	 * Follows the peer store: admits exactly these peers, disconnects the others (revocation),
	 * and dials those not connected; changed addresses are used from the next dial.
	 * @param peers the configured peers
	 * @param connectionTimeout how long a dial and handshake may take
	 */
	public void updatePeers(List<Peer> peers, Duration connectionTimeout) {
		this.dialer.setTimeout(connectionTimeout);
		this.admission.admitOnly(peers, connectionTimeout);
		if (this.running) {
			dialAll();
		}
	}

	private void dialAll() {
		this.admission.admittedKeys().forEach(peerKey -> this.dialer.schedule(peerKey, false));
	}

	private @Nullable Multiaddr dialTarget(String peerKey, int attempt) {
		return this.running ? this.admission.dialTarget(peerKey, attempt) : null;
	}

	/**
	 * @param peerKey a peer's public key, base64
	 * @return whether that peer may connect
	 */
	public boolean admits(String peerKey) {
		return this.admission.admits(peerKey);
	}

	/**
	 * @return the open connections
	 */
	public Collection<Connection> connections() {
		return this.admission.connections().all();
	}

	/**
	 * @param peerKey a peer's public key
	 * @return its connection, or null
	 */
	public Connection connection(String peerKey) {
		return this.admission.connections().get(peerKey);
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
		return this.admission.identity().publicKeyBase64();
	}

	/**
	 * @return the node's libp2p peer id, from its current key
	 */
	public PeerId peerId() {
		return this.admission.identity().peerId();
	}

	/**
	 * @return counters: admitted, and rejected and closed by reason
	 */
	public NetworkCounters counters() {
		PeerConnections connections = this.admission.connections();
		return new NetworkCounters(connections.admitted(), connections.rejectedByReason(),
				connections.closedByReason());
	}

}
