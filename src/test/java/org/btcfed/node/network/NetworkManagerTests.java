package org.btcfed.node.network;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.TransientReloadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.SETTLED;
import static org.btcfed.node.network.LoopbackNodes.TIMEOUT;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitPaired;
import static org.btcfed.node.network.LoopbackNodes.awaitRefused;
import static org.btcfed.node.network.LoopbackNodes.freePort;

/**
 * The network manager's lifecycle (bind and dial in {@code start}, everything closed in
 * {@code stop}) and its reloads, with managers built directly from real config files, talking
 * real TCP over loopback to each other and to hand-driven sockets. Who is admitted is
 * {@link AdmissionTests}'.
 */
class NetworkManagerTests {

	@TempDir
	Path dir;

	private LoopbackNodes nodes;

	@BeforeEach
	void setUp() {
		this.nodes = new LoopbackNodes(this.dir);
	}

	@AfterEach
	void tearDown() throws IOException {
		this.nodes.close();
	}

	@Test
	void twoNodesListingEachOtherShouldKeepExactlyOneAuthenticatedConnectionWithOppositeDirections() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		Pair pair = awaitPaired(a, b);
		assertThat(a.network.connections()).containsExactly(pair.a());
		assertThat(b.network.connections()).containsExactly(pair.b());
		assertThat(List.of(pair.a().direction(), pair.b().direction())).containsExactlyInAnyOrder(Direction.INBOUND,
				Direction.OUTBOUND);
		assertThat(pair.a().peerKey()).isEqualTo(b.key.publicKeyBase64());
		assertThat(pair.b().peerKey()).isEqualTo(a.key.publicKeyBase64());
		assertThat(pair.a().remoteAddress().host()).isEqualTo("127.0.0.1");
		assertThat(a.dispatcher.connected).contains(pair.a());
		assertThat(a.network.counters().admitted()).isPositive();
		assertThat(a.network.counters().rejected()).doesNotContainKeys("UNKNOWN_PEER", "BAD_SIGNATURE", "MALFORMED");
	}
	@Test
	void sendShouldDeliverProtocolMessagesBothWays() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		Pair pair = awaitPaired(a, b);
		pair.a().send("msg", "from a".getBytes(StandardCharsets.UTF_8));
		pair.b().send("ping", new byte[0]);
		await().untilAsserted(() -> {
			assertThat(b.dispatcher.messages).containsExactly("msg from a");
			assertThat(a.dispatcher.messages).containsExactly("ping ");
		});
		assertThat(b.dispatcher.senders).containsOnly(pair.b());
	}
	@Test
	void constructorShouldNeitherBindNorDialUntilStartAndAStoppedNetworkShouldNotStartAgain() throws Exception {
		int port = freePort();
		try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("lifecycle"), NodeKey.generate(), List.of(port), 16,
					List.of(new Peer(NodeKey.generate().publicKeyBase64(), List.of(address(peer.getLocalPort())))));
			NetworkManager network = manager(config);
			try {
				assertThat(network.isRunning()).isFalse();
				assertThat(network.listenAddresses()).isEmpty();
				assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> RawPeer.connect(port).close());
				peer.setSoTimeout((int) SETTLED.toMillis());
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(peer::accept);
				network.start();
				network.start();
				assertThat(network.isRunning()).isTrue();
				assertThat(network.listenAddresses()).containsExactly(address(port));
				peer.setSoTimeout(5000);
				try (Socket dialled = peer.accept()) {
					assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
				}
				network.stop();
				assertThat(network.isRunning()).isFalse();
				assertThat(network.listenAddresses()).isEmpty();
				assertThatIllegalStateException().isThrownBy(network::start).withMessageContaining("does not start again");
			}
			finally {
				network.destroy();
			}
		}
	}

	@Test
	void startWhenAListenAddressIsTakenShouldFailNamingTheAddressWhereItIsWritten() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("taken"), NodeKey.generate(),
					List.of(taken.getLocalPort()), 16, List.of());
			NetworkManager network = manager(config);
			try {
				assertThatExceptionOfType(ConfigException.class).isThrownBy(network::start)
					.satisfies(ex -> assertThat(ex.getErrors()).singleElement().satisfies(error -> {
						assertThat(error.key()).isEqualTo("network.addresses[0]");
						assertThat(error.file()).isEqualTo("conf.yaml");
						assertThat(error.line()).isEqualTo(4);
						assertThat(error.message()).startsWith("cannot listen on /ip4/127.0.0.1/tcp/"
								+ taken.getLocalPort() + ": the address is already in use");
					}));
				assertThat(network.isRunning()).isFalse();
			}
			finally {
				network.destroy();
			}
		}
	}

	/**
	 * Spring wraps a failed {@code start} in an {@link ApplicationContextException}: the
	 * configuration error is its cause, where the start-up failure analysis finds it.
	 */
	@Test
	void refreshWhenAListenAddressIsTakenShouldFailWithTheConfigErrorAsCauseAndReleaseTheOtherAddresses()
			throws Exception {
		int free = freePort();
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("context"), NodeKey.generate(),
					List.of(free, taken.getLocalPort()), 16, List.of());
			GenericApplicationContext context = context(config);
			Throwable failure = catchThrowable(context::refresh);
			assertThat(failure).isInstanceOf(ApplicationContextException.class)
				.cause()
				.isInstanceOfSatisfying(ConfigException.class,
						ex -> assertThat(ex.getErrors()).singleElement().satisfies(error -> {
							assertThat(error.key()).isEqualTo("network.addresses[1]");
							assertThat(error.line()).isEqualTo(4);
							assertThat(error.message()).startsWith("cannot listen on /ip4/127.0.0.1/tcp/"
									+ taken.getLocalPort());
						}));
			assertThat(context.isActive()).isFalse();
			awaitRefused(free);
		}
	}

	@Test
	void contextShouldStartTheNetworkBeforeTheWebServerAndTheFileWatchAndStopItAfterThem() throws Exception {
		int port = freePort();
		ConfigSnapshot config = Node.write(this.dir.resolve("phases"), NodeKey.generate(), List.of(port), 16, List.of());
		List<String> seen = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(config)) {
			// The servlet web server's phase (WebServerStartStopLifecycle), and the file watch's.
			context.registerBean("webServer", Probe.class, () -> new Probe("web server", SmartLifecycle.DEFAULT_PHASE - 2048,
					context.getBean(NetworkManager.class), seen));
			context.registerBean("fileWatch", Probe.class, () -> new Probe("file watch", SmartLifecycle.DEFAULT_PHASE,
					context.getBean(NetworkManager.class), seen));
			context.refresh();
			assertThat(context.getBean(NetworkManager.class).listenAddresses()).containsExactly(address(port));
		}
		assertThat(seen).containsExactly("web server started, network running", "file watch started, network running",
				"file watch stopped, network running", "web server stopped, network running");
		awaitRefused(port);
	}

	@Test
	void applyWhenListenAddressesChangeShouldRebindAndKeepTheEstablishedConnection() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		int extra = freePort();
		ConfigSnapshot both = a.config(a.key, List.of(a.port, extra), 16, b);
		a.network.apply(new ComponentUpdate(a.startup, both, List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(a.port), address(extra));
		try (RawPeer raw = RawPeer.connect(extra)) {
			assertThat(raw.readHello().key()).isEqualTo(a.key.publicKey());
		}
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		ConfigSnapshot onlyExtra = a.config(a.key, List.of(extra), 16, b);
		a.network.apply(new ComponentUpdate(both, onlyExtra, List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(extra));
		awaitRefused(a.port);
		try (RawPeer raw = RawPeer.connect(extra)) {
			assertThat(raw.readHello().key()).isEqualTo(a.key.publicKey());
		}
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		assertThat(b.network.connection(a.key.publicKeyBase64())).isSameAs(before.b());
		assertThat(before.a().isOpen()).isTrue();
		before.b().send("msg", "still here".getBytes(StandardCharsets.UTF_8));
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).containsExactly("msg still here"));
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}
	@Test
	void applyWhenAListenAddressIsTakenShouldFailTransientlyAndKeepTheOldListeners() throws Exception {
		Node a = this.nodes.node("a");
		a.start();
		int free = freePort();
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot target = a.config(a.key, List.of(a.port, free, taken.getLocalPort()), 16);
			assertThatExceptionOfType(TransientReloadException.class)
				.isThrownBy(() -> a.network.apply(new ComponentUpdate(a.startup, target, List.of())))
				.withMessageContaining("cannot listen");
		}
		assertThat(a.network.listenAddresses()).containsExactly(address(a.port));
		awaitRefused(free);
	}
	@Test
	void loweringTheMessageLimitShouldKeepReadingTheOldLimitForAGracePeriod() throws Exception {
		Node a = this.nodes.node("a");
		a.start();
		int before = a.network.frameLimit();
		a.network.setMaxMessageSize(1024);
		assertThat(a.network.frameLimit()).isEqualTo(before);
		a.network.setMaxMessageSize(4 * 1024 * 1024);
		assertThat(a.network.frameLimit()).isEqualTo(4 * 1024 * 1024 + Wire.PROTOCOL_OVERHEAD);
	}
	@Test
	void applyWhenMaxConnectionsIsLoweredBelowTheCountShouldKeepConnectionsAndRefuseNewOnes() throws Exception {
		NodeKey late = NodeKey.generate();
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Node c = this.nodes.node("c");
		a.start(3, List.of(b.peer(), c.peer(), new Peer(late.publicKeyBase64(), List.of(address(freePort())))));
		b.start(a);
		c.start(a);
		Pair withB = awaitPaired(a, b);
		Pair withC = awaitPaired(a, c);
		Map<String, Long> closedBefore = a.network.counters().closed();
		ConfigSnapshot lower = a.config(a.key, List.of(a.port), 1);
		a.network.apply(new ComponentUpdate(a.startup, lower, List.of()));
		await().during(SETTLED).atMost(SETTLED.multipliedBy(5))
			.untilAsserted(() -> assertThat(a.network.connections()).containsExactlyInAnyOrder(withB.a(), withC.a()));
		try (RawPeer newcomer = RawPeer.connect(a.port)) {
			newcomer.handshake(late, a.key.publicKey());
			assertThat(newcomer.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("CONNECTION_LIMIT", 1L));
		assertThat(a.network.connections()).containsExactlyInAnyOrder(withB.a(), withC.a());
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}
	@Test
	void applyWhenKeyChangesShouldCloseSessionsWithKeyRotatedAndReconnectUnderTheNewIdentity() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		NodeKey rotated = NodeKey.generate();
		a.network.apply(new ComponentUpdate(a.startup, a.config(rotated, List.of(a.port), 16, b), List.of()));
		assertThat(a.network.publicKey()).isEqualTo(rotated.publicKeyBase64());
		await().untilAsserted(() -> {
			assertThat(a.network.counters().closed()).containsEntry("KEY_ROTATED", 1L);
			assertThat(b.network.connection(a.key.publicKeyBase64())).isNull();
		});
		assertThat(before.a().isOpen()).isFalse();
		// The peer learns the new key from its peers.yaml; the sessions come back under it.
		b.network.updatePeers(List.of(new Peer(rotated.publicKeyBase64(), List.of(address(a.port)))), TIMEOUT);
		await().untilAsserted(() -> {
			Connection fromB = b.network.connection(rotated.publicKeyBase64());
			assertThat(fromB).isNotNull();
			assertThat(fromB.isOpen()).isTrue();
			assertThat(a.network.connection(b.key.publicKeyBase64())).isNotNull();
		});
	}
	@Test
	void applyWhenNothingOwnedChangedShouldKeepListenersAndConnections() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		a.network.apply(new ComponentUpdate(a.startup, a.config(a.key, List.of(a.port), 16, b), List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(a.port));
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		assertThat(before.a().isOpen()).isTrue();
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}
	@Test
	void destroyShouldCloseConnectionsWithShutdownAndStopListening() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		a.start(b);
		b.start(a);
		awaitPaired(a, b);
		a.stop();
		await().untilAsserted(() -> {
			assertThat(a.network.counters().closed()).containsEntry("SHUTDOWN", 1L);
			assertThat(b.network.connections()).isEmpty();
		});
		assertThat(a.network.listenAddresses()).isEmpty();
		awaitRefused(a.port);
	}

	private GenericApplicationContext context(ConfigSnapshot config) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(ReadGate.class);
		context.registerBean("networkManager", NetworkManager.class, () -> new NetworkManager(config,
				context.getBean(ReadGate.class), context.getBeanProvider(ProtocolDispatcher.class)));
		return context;
	}

	private static NetworkManager manager(ConfigSnapshot config) {
		return new NetworkManager(config, new ReadGate(),
				new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));
	}

	/** A lifecycle in another phase, noting whether the network runs when it starts and stops. */
	private static final class Probe implements SmartLifecycle {

		private final String name;

		private final int phase;

		private final NetworkManager network;

		private final List<String> seen;

		private volatile boolean running;

		Probe(String name, int phase, NetworkManager network, List<String> seen) {
			this.name = name;
			this.phase = phase;
			this.network = network;
			this.seen = seen;
		}

		@Override
		public void start() {
			this.running = true;
			note("started");
		}

		@Override
		public void stop() {
			this.running = false;
			note("stopped");
		}

		private void note(String what) {
			this.seen.add(this.name + " " + what + ", network " + (this.network.isRunning() ? "running" : "not running"));
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
