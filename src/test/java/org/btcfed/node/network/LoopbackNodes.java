package org.btcfed.node.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.btcfed.node.FreePorts;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.config.PeersYaml;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Network managers built directly (no Spring) from real config files in a test's temp dir, on
 * loopback, and the hand-driven sockets a test opens against them; all ended after each test.
 * Registered as an extension:
 * <pre>
 * &#64;TempDir
 * Path dir;
 *
 * &#64;RegisterExtension
 * final LoopbackNodes nodes = new LoopbackNodes(() -&gt; this.dir);
 * </pre>
 */
final class LoopbackNodes implements AfterEachCallback {

	static final Duration TIMEOUT = Duration.ofSeconds(2);

	/** How long a pairing must hold before a test relies on it: dials in flight settle by then. */
	static final Duration SETTLED = Duration.ofMillis(300);

	private final Supplier<Path> dir;

	private final List<Node> nodes = new ArrayList<>();

	private final List<Closeable> sockets = new ArrayList<>();

	/**
	 * @param dir the test's temp dir, read once the test runs (JUnit injects it after this
	 * extension is built)
	 */
	LoopbackNodes(Supplier<Path> dir) {
		this.dir = dir;
	}

	Node node(String name) {
		return node(name, NodeKey.generate());
	}

	Node node(String name, NodeKey key) {
		Node node = new Node(this.dir.get().resolve(name), key, FreePorts.pick());
		this.nodes.add(node);
		return node;
	}

	/** Closes a socket with the nodes, for one the test cannot close in a try block. */
	<T extends Closeable> T keep(T socket) {
		this.sockets.add(socket);
		return socket;
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		for (Closeable socket : this.sockets) {
			socket.close();
		}
		this.nodes.forEach(Node::stop);
	}

	/** Starts two nodes listing each other and waits until they are paired. */
	static Pair startPaired(Node a, Node b) {
		a.start(b);
		b.start(a);
		return awaitPaired(a, b);
	}

	/**
	 * Waits until both nodes hold one open connection to each other, the same TCP connection
	 * seen from its two ends, and it stays so (a duplicate dial in flight would replace it).
	 */
	static Pair awaitPaired(Node a, Node b) {
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
	static void awaitRefused(int port) {
		await().until(() -> {
			try (RawPeer accepted = RawPeer.connect(port)) {
				return false;
			}
			catch (ConnectException ex) {
				return true;
			}
		});
	}

	static Connection awaitConnection(Node node, NodeKey peer) {
		await().untilAsserted(() -> assertThat(node.network.connection(peer.publicKeyBase64())).isNotNull());
		return node.network.connection(peer.publicKeyBase64());
	}

	static NodeKey[] sortedKeys() {
		NodeKey[] keys = { NodeKey.generate(), NodeKey.generate() };
		Arrays.sort(keys, (x, y) -> Arrays.compareUnsigned(x.publicKey(), y.publicKey()));
		return keys;
	}

	static Multiaddr address(int port) {
		return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port);
	}

	/** One connection seen from both ends. */
	record Pair(Connection a, Connection b) {
	}

	/** A node: its key, its first listen port, its config dir and, once started, its manager. */
	static final class Node {

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
				this.network.start();
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

		static ConfigSnapshot write(Path dir, NodeKey key, List<Integer> ports, int maxConnections, List<Peer> peers) {
			ConfYaml.minimal()
				.flowLists()
				.key(key)
				.listen(ports.stream().map(port -> address(port).toString()).toList())
				.set("network.max_connections", maxConnections)
				.set("peers.connection_timeout", TIMEOUT.toSeconds() + "s")
				.write(dir);
			PeersYaml peersYaml = PeersYaml.none();
			peers.forEach(peer -> peersYaml.peer(peer.publicKey(),
					peer.addresses().stream().map(Multiaddr::toString).toList()));
			peersYaml.write(dir);
			return new ConfigLoader(dir).load();
		}

	}

	/**
	 * Sends a message on a stream of its own: the stream is opened for the protocol, the bytes
	 * written and the stream closed; the remote's {@link RecordingDispatcher} records it whole.
	 */
	static void send(Connection connection, String protocol, String text) {
		ProtocolStream stream = connection.openStream(protocol, (s, data) -> {
		});
		stream.write(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		stream.closeWrite();
	}

	/**
	 * Records what the transport hands to the protocol layer: connections, and each inbound
	 * stream of a protocol starting with {@code /test/} as one message, "protocol payload", once
	 * the remote closed it.
	 */
	static final class RecordingDispatcher implements ProtocolDispatcher {

		final List<Connection> connected = new CopyOnWriteArrayList<>();

		final List<Connection> disconnected = new CopyOnWriteArrayList<>();

		final List<String> messages = new CopyOnWriteArrayList<>();

		final List<Connection> senders = new CopyOnWriteArrayList<>();

		@Override
		public void connected(Connection connection) {
			this.connected.add(connection);
		}

		@Override
		public boolean supports(String protocol) {
			return protocol.startsWith("/test/");
		}

		@Override
		public ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream) {
			StringBuilder text = new StringBuilder();
			return new ProtocolStreamHandler() {

				@Override
				public void data(ProtocolStream s, ByteBuf data) {
					text.append(data.toString(StandardCharsets.UTF_8));
				}

				@Override
				public void remoteClosed(ProtocolStream s) {
					RecordingDispatcher.this.senders.add(connection);
					RecordingDispatcher.this.messages.add(s.protocol() + " " + text);
					s.closeWrite();
				}

			};
		}

		@Override
		public void disconnected(Connection connection) {
			this.disconnected.add(connection);
		}

	}

}
