package org.btcfed.node.network;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.TransientReloadException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Network managers built directly (no Spring) from real config files, talking real TCP over
 * loopback to each other and to hand-driven sockets.
 */
class NetworkManagerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	/** How long a pairing must hold before a test relies on it: dials in flight settle by then. */
	private static final Duration SETTLED = Duration.ofMillis(300);

	@TempDir
	Path dir;

	private final List<Node> nodes = new ArrayList<>();

	private final List<Closeable> sockets = new ArrayList<>();

	@AfterEach
	void tearDown() throws IOException {
		for (Closeable socket : this.sockets) {
			socket.close();
		}
		this.nodes.forEach(Node::stop);
	}

	@Test
	void twoNodesListingEachOtherShouldKeepExactlyOneAuthenticatedConnectionWithOppositeDirections() {
		Node a = node("a");
		Node b = node("b");
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
		Node a = node("a");
		Node b = node("b");
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
	void updatePeersWhenPeerIsRemovedShouldCloseItWithRevokedAndReconnectWhenItIsAddedBack() {
		Node a = node("a");
		Node b = node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		long closedByPeer = b.network.counters().closed().getOrDefault("CLOSED_BY_PEER", 0L);
		a.network.updatePeers(List.of(), TIMEOUT);
		assertThat(a.network.admits(b.key.publicKeyBase64())).isFalse();
		await().untilAsserted(() -> {
			assertThat(a.network.connections()).isEmpty();
			assertThat(b.network.connections()).isEmpty();
			assertThat(a.network.counters().closed()).containsEntry("REVOKED", 1L);
			assertThat(b.network.counters().closed()).containsEntry("CLOSED_BY_PEER", closedByPeer + 1);
		});
		assertThat(before.a().isOpen()).isFalse();
		assertThat(a.dispatcher.disconnected).contains(before.a());
		a.network.updatePeers(a.startup.peers(), TIMEOUT);
		Pair after = awaitPaired(a, b);
		assertThat(after.a().id()).isNotEqualTo(before.a().id());
		assertThat(a.network.counters().closed()).containsEntry("REVOKED", 1L);
	}

	@Test
	void applyWhenListenAddressesChangeShouldRebindAndKeepTheEstablishedConnection() throws Exception {
		Node a = node("a");
		Node b = node("b");
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
		Node a = node("a");
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
	void startWhenAListenAddressIsTakenShouldFailNamingTheAddressWhereItIsWritten() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("taken"), NodeKey.generate(),
					List.of(taken.getLocalPort()), 16, List.of());
			StaticListableBeanFactory beans = new StaticListableBeanFactory();
			assertThatExceptionOfType(ConfigException.class)
				.isThrownBy(() -> new NetworkManager(config, new ReadGate(), beans.getBeanProvider(ProtocolDispatcher.class)))
				.satisfies(ex -> assertThat(ex.getErrors()).singleElement().satisfies(error -> {
					assertThat(error.key()).isEqualTo("network.addresses[0]");
					assertThat(error.file()).isEqualTo("conf.yaml");
					assertThat(error.line()).isEqualTo(4);
					assertThat(error.message()).startsWith("cannot listen on /ip4/127.0.0.1/tcp/" + taken.getLocalPort()
							+ ": the address is already in use");
				}));
		}
	}

	@Test
	void unknownPeerDiallingInShouldBeRejectedWithUnknownPeer() throws Exception {
		Node a = node("a");
		Node b = node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		try (RawPeer stranger = RawPeer.connect(a.port)) {
			stranger.handshake(NodeKey.generate(), a.key.publicKey());
			assertThat(stranger.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("UNKNOWN_PEER", 1L));
		assertThat(a.network.connections()).containsExactly(before.a());
		assertThat(before.a().isOpen()).isTrue();
	}

	@Test
	void unknownPeerRedialingShouldBeLoggedOnceAndCountedEveryTime() throws Exception {
		Node a = node("a");
		a.start();
		NodeKey stranger = NodeKey.generate();
		ListAppender<ILoggingEvent> log = PeerConnectionsTests.capture();
		try {
			for (int attempt = 0; attempt < 5; attempt++) {
				try (RawPeer redial = RawPeer.connect(a.port)) {
					redial.handshake(stranger, a.key.publicKey());
					assertThat(redial.closedByNode()).isTrue();
				}
			}
			await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("UNKNOWN_PEER", 5L));
		}
		finally {
			PeerConnectionsTests.release(log);
		}
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.filteredOn(line -> line.contains(stranger.publicKeyBase64()))
			.singleElement()
			.asString()
			.startsWith("Rejected connection INBOUND /127.0.0.1:")
			.contains("UNKNOWN_PEER (key " + stranger.publicKeyBase64() + " is not in peers.yaml")
			.contains("add the key to peers.yaml if this peer should be admitted")
			.doesNotContain(" more since ");
	}

	@Test
	void garbageSendingClientShouldBeRejectedAsMalformedAndAffectNothingElse() throws Exception {
		Node a = node("a");
		Node b = node("b");
		a.start(b);
		b.start(a);
		Pair before = awaitPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		try (RawPeer garbage = RawPeer.connect(a.port)) {
			garbage.readHello();
			garbage.send(new byte[] { 0, 0, 0, 6, 0x7f, 'h', 'e', 'l', 'l', 'o' });
			assertThat(garbage.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("MALFORMED", 1L));
		assertThat(a.network.connections()).containsExactly(before.a());
		assertThat(b.network.connections()).containsExactly(before.b());
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
		before.b().send("msg", "unaffected".getBytes(StandardCharsets.UTF_8));
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).containsExactly("msg unaffected"));
	}

	@Test
	void unauthenticatedClientShouldNotSendFramesLargerThanAHello() throws Exception {
		Node a = node("a");
		a.start();
		try (RawPeer client = RawPeer.connect(a.port)) {
			client.readHello();
			// 1000 bytes: far below the message limit, far above what a handshake needs.
			client.send(new byte[] { 0, 0, 0x03, (byte) 0xe8, Wire.HELLO });
			assertThat(client.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("OVERSIZED_FRAME", 1L));
	}

	@Test
	void loweringTheMessageLimitShouldKeepReadingTheOldLimitForAGracePeriod() throws Exception {
		Node a = node("a");
		a.start();
		int before = a.network.frameLimit();
		a.network.setMaxMessageSize(1024);
		assertThat(a.network.frameLimit()).isEqualTo(before);
		a.network.setMaxMessageSize(4 * 1024 * 1024);
		assertThat(a.network.frameLimit()).isEqualTo(4 * 1024 * 1024 + Wire.PROTOCOL_OVERHEAD);
	}

	@Test
	void clientSpeakingAnotherProtocolShouldBeRejectedWithOversizedFrame() throws Exception {
		Node a = node("a");
		a.start();
		try (RawPeer http = RawPeer.connect(a.port)) {
			http.send("GET / HTTP/1.1\r\nHost: node\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			assertThat(http.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("OVERSIZED_FRAME", 1L));
	}

	@Test
	void applyWhenMaxConnectionsIsLoweredBelowTheCountShouldKeepConnectionsAndRefuseNewOnes() throws Exception {
		NodeKey late = NodeKey.generate();
		Node a = node("a");
		Node b = node("b");
		Node c = node("c");
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
	void clientsStuckInTheHandshakeShouldBeBoundedByMaxConnections() throws Exception {
		Node a = node("a");
		a.start(2, List.of());
		try (RawPeer first = RawPeer.connect(a.port); RawPeer second = RawPeer.connect(a.port)) {
			first.readHello();
			second.readHello();
			try (RawPeer third = RawPeer.connect(a.port)) {
				assertThat(third.closedByNode()).isTrue();
			}
			await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("CONNECTION_LIMIT", 1L));
		}
	}

	@Test
	void applyWhenKeyChangesShouldCloseSessionsWithKeyRotatedAndReconnectUnderTheNewIdentity() throws Exception {
		Node a = node("a");
		Node b = node("b");
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
		Node a = node("a");
		Node b = node("b");
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
	void duplicateDialWhenThisNodeHasTheSmallerKeyShouldBeRefusedAndKeepItsOwnDial() throws Exception {
		NodeKey[] keys = sortedKeys();
		Node a = node("a", keys[0]);
		try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			fake.setSoTimeout(5000);
			a.start(2, List.of(new Peer(keys[1].publicKeyBase64(), List.of(address(fake.getLocalPort())))));
			RawPeer dialled = RawPeer.accept(fake);
			this.sockets.add(dialled);
			dialled.handshake(keys[1], a.key.publicKey());
			Connection own = awaitConnection(a, keys[1]);
			assertThat(own.direction()).isEqualTo(Direction.OUTBOUND);
			try (RawPeer second = RawPeer.connect(a.port)) {
				second.handshake(keys[1], a.key.publicKey());
				assertThat(second.closedByNode()).isTrue();
			}
			await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("DUPLICATE", 1L));
			assertThat(a.network.connections()).containsExactly(own);
			assertThat(own.isOpen()).isTrue();
		}
	}

	@Test
	void duplicateDialWhenThePeerHasTheSmallerKeyShouldReplaceThisNodesDial() throws Exception {
		NodeKey[] keys = sortedKeys();
		Node a = node("a", keys[1]);
		try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			fake.setSoTimeout(5000);
			a.start(2, List.of(new Peer(keys[0].publicKeyBase64(), List.of(address(fake.getLocalPort())))));
			RawPeer dialled = RawPeer.accept(fake);
			this.sockets.add(dialled);
			dialled.handshake(keys[0], a.key.publicKey());
			Connection own = awaitConnection(a, keys[0]);
			assertThat(own.direction()).isEqualTo(Direction.OUTBOUND);
			RawPeer second = RawPeer.connect(a.port);
			this.sockets.add(second);
			second.handshake(keys[0], a.key.publicKey());
			assertThat(dialled.closedByNode()).isTrue();
			await().untilAsserted(() -> {
				assertThat(a.network.counters().closed()).containsEntry("DUPLICATE", 1L);
				assertThat(a.network.connection(keys[0].publicKeyBase64())).isNotSameAs(own)
					.extracting(Connection::direction)
					.isEqualTo(Direction.INBOUND);
			});
			assertThat(a.network.counters().rejected()).doesNotContainKey("DUPLICATE");
		}
	}

	@Test
	void destroyShouldCloseConnectionsWithShutdownAndStopListening() {
		Node a = node("a");
		Node b = node("b");
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

	private Node node(String name) {
		return node(name, NodeKey.generate());
	}

	private Node node(String name, NodeKey key) {
		Node node = new Node(this.dir.resolve(name), key, freePort());
		this.nodes.add(node);
		return node;
	}

	/**
	 * Waits until both nodes hold one open connection to each other, the same TCP connection
	 * seen from its two ends, and it stays so (a duplicate dial in flight would replace it).
	 */
	private static Pair awaitPaired(Node a, Node b) {
		await().during(SETTLED).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			Connection fromA = a.network.connection(b.network.publicKey());
			Connection fromB = b.network.connection(a.network.publicKey());
			assertThat(fromA).isNotNull();
			assertThat(fromB).isNotNull();
			assertThat(fromA.isOpen()).isTrue();
			assertThat(fromB.isOpen()).isTrue();
			assertThat(fromA.channel().localAddress()).isEqualTo(fromB.channel().remoteAddress());
			assertThat(fromA.direction()).isNotEqualTo(fromB.direction());
		});
		return new Pair(a.network.connection(b.network.publicKey()), b.network.connection(a.network.publicKey()));
	}

	/**
	 * Waits until nothing listens on a port. A closed NIO listener keeps its socket until its
	 * selector next wakes up, so for a moment after the close the kernel may still accept.
	 */
	private static void awaitRefused(int port) {
		await().until(() -> {
			try (RawPeer accepted = RawPeer.connect(port)) {
				return false;
			}
			catch (ConnectException ex) {
				return true;
			}
		});
	}

	private static Connection awaitConnection(Node node, NodeKey peer) {
		await().untilAsserted(() -> assertThat(node.network.connection(peer.publicKeyBase64())).isNotNull());
		return node.network.connection(peer.publicKeyBase64());
	}

	private static NodeKey[] sortedKeys() {
		NodeKey[] keys = { NodeKey.generate(), NodeKey.generate() };
		Arrays.sort(keys, (x, y) -> Arrays.compareUnsigned(x.publicKey(), y.publicKey()));
		return keys;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Multiaddr address(int port) {
		return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port);
	}

	/** One connection seen from both ends. */
	private record Pair(Connection a, Connection b) {
	}

	/** A node: its key, its first listen port, its config dir and, once started, its manager. */
	private static final class Node {

		final Path dir;

		final NodeKey key;

		final int port;

		final RecordingDispatcher dispatcher = new RecordingDispatcher();

		ConfigSnapshot startup;

		NetworkManager network;

		private boolean stopped;

		Node(Path dir, NodeKey key, int port) {
			this.dir = dir;
			this.key = key;
			this.port = port;
		}

		Peer peer() {
			return new Peer(this.key.publicKeyBase64(), List.of(address(this.port)));
		}

		void start(Node... peers) {
			start(16, Arrays.stream(peers).map(Node::peer).toList());
		}

		void start(int maxConnections, List<Peer> peers) {
			try {
				this.startup = write(this.dir, this.key, List.of(this.port), maxConnections, peers);
				StaticListableBeanFactory beans = new StaticListableBeanFactory();
				beans.addBean("dispatcher", this.dispatcher);
				this.network = new NetworkManager(this.startup, new ReadGate(),
						beans.getBeanProvider(ProtocolDispatcher.class));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** A staged configuration for this node, in a directory of its own. */
		ConfigSnapshot config(NodeKey key, List<Integer> ports, int maxConnections, Node... peers) throws IOException {
			Path staged = Files.createTempDirectory(this.dir.getParent(), "staged");
			return write(staged, key, ports, maxConnections, Arrays.stream(peers).map(Node::peer).toList());
		}

		void stop() {
			if (this.network != null && !this.stopped) {
				this.stopped = true;
				this.network.destroy();
			}
		}

		private static ConfigSnapshot write(Path dir, NodeKey key, List<Integer> ports, int maxConnections,
				List<Peer> peers) throws IOException {
			Files.createDirectories(dir);
			String addresses = ports.stream().map(port -> address(port).toString()).collect(Collectors.joining(", "));
			Files.writeString(dir.resolve(ConfigLoader.CONF_FILE),
					"node:\n  private_key: \"" + key.encoded() + "\"\n" + "network:\n  addresses: [" + addresses
							+ "]\n  max_connections: " + maxConnections + "\n" + "peers:\n  connection_timeout: "
							+ TIMEOUT.toSeconds() + "s\n");
			StringBuilder yaml = new StringBuilder("peers:\n");
			for (Peer peer : peers) {
				yaml.append("  - public_key: \"").append(peer.publicKey()).append("\"\n    addresses: [")
					.append(peer.addresses().stream().map(Multiaddr::toString).collect(Collectors.joining(", ")))
					.append("]\n");
			}
			Files.writeString(dir.resolve(ConfigLoader.PEERS_FILE), peers.isEmpty() ? "peers: []\n" : yaml.toString());
			return new ConfigLoader(dir).load();
		}

	}

	/** Records what the transport hands to the protocol layer; messages as "protocol payload". */
	private static final class RecordingDispatcher implements ProtocolDispatcher {

		final List<Connection> connected = new CopyOnWriteArrayList<>();

		final List<Connection> disconnected = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		final List<Connection> senders = new CopyOnWriteArrayList<>();

		@Override
		public void connected(Connection connection) {
			this.connected.add(connection);
		}

		@Override
		public void message(Connection connection, String protocol, byte[] payload) {
			this.senders.add(connection);
			this.messages.add(protocol + " " + new String(payload, StandardCharsets.UTF_8));
		}

		@Override
		public void disconnected(Connection connection) {
			this.disconnected.add(connection);
		}

	}

	/**
	 * A peer driven by hand over a blocking socket: it can speak the handshake with any key, or
	 * send anything at all.
	 */
	private static final class RawPeer implements Closeable {

		private final Socket socket;

		private final DataInputStream in;

		private final OutputStream out;

		private RawPeer(Socket socket) throws IOException {
			this.socket = socket;
			socket.setSoTimeout(5000);
			this.in = new DataInputStream(socket.getInputStream());
			this.out = socket.getOutputStream();
		}

		static RawPeer connect(int port) throws IOException {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
				return new RawPeer(socket);
			}
			catch (IOException ex) {
				socket.close();
				throw ex;
			}
		}

		static RawPeer accept(ServerSocket server) throws IOException {
			return new RawPeer(server.accept());
		}

		record Hello(byte[] key, byte[] nonce) {
		}

		Hello readHello() throws IOException {
			assertThat(this.in.readInt()).isEqualTo(Wire.HELLO_LENGTH);
			assertThat(this.in.readByte()).isEqualTo(Wire.HELLO);
			assertThat(this.in.readByte()).isEqualTo(Wire.VERSION);
			byte[] key = new byte[Wire.KEY_LENGTH];
			byte[] nonce = new byte[Wire.NONCE_LENGTH];
			this.in.readFully(key);
			this.in.readFully(nonce);
			return new Hello(key, nonce);
		}

		/** Reads the node's HELLO, then sends HELLO and AUTH as the holder of {@code key}. */
		void handshake(NodeKey key, byte[] nodeKey) throws IOException {
			Hello hello = readHello();
			assertThat(hello.key()).isEqualTo(nodeKey);
			ByteBuf frames = Unpooled.buffer();
			frames.writeInt(Wire.HELLO_LENGTH).writeByte(Wire.HELLO).writeByte(Wire.VERSION);
			frames.writeBytes(key.publicKey()).writeBytes(new byte[Wire.NONCE_LENGTH]);
			frames.writeInt(Wire.AUTH_LENGTH).writeByte(Wire.AUTH);
			frames.writeBytes(key.sign(Wire.authTranscript(hello.nonce(), key.publicKey(), nodeKey)));
			byte[] bytes = new byte[frames.readableBytes()];
			frames.readBytes(bytes);
			frames.release();
			send(bytes);
		}

		void send(byte[] bytes) throws IOException {
			this.out.write(bytes);
			this.out.flush();
		}

		/**
		 * Reads until the node closes the connection (whatever it sent before: its HELLO, its
		 * AUTH).
		 * @return true when closed, false when still open after the socket's read timeout
		 */
		boolean closedByNode() throws IOException {
			byte[] buffer = new byte[256];
			try {
				while (this.in.read(buffer) >= 0) {
					// skip what the node sent before closing
				}
				return true;
			}
			catch (SocketTimeoutException ex) {
				return false;
			}
			catch (SocketException ex) {
				// reset: closed with our bytes unread
				return true;
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

	}

}
