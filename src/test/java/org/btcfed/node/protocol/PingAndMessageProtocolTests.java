package org.btcfed.node.protocol;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.btcfed.node.FreePorts;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.PeersYaml;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ReadGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes' network managers on loopback with the real protocol layer: keepalive pings keep a
 * session up, a peer that never answers is closed as idle, and application messages arrive in
 * order, to one peer or broadcast.
 */
class PingAndMessageProtocolTests {

	@TempDir
	Path root;

	final List<NetworkManager> managers = new ArrayList<>();

	@AfterEach
	void tearDown() {
		this.managers.forEach(NetworkManager::destroy);
	}

	record Node(NetworkManager network, ProtocolRegistry protocols, MessageProtocol messages, NodeKey key) {
	}

	private Node node(String name, NodeKey key, NodeKey peer, int port, int peerPort, boolean withProtocols)
			throws Exception {
		Path dir = Files.createDirectories(this.root.resolve(name));
		ConfYaml.minimal().key(key).listen("/ip4/127.0.0.1/tcp/" + port).set("protocol.ping_interval", "1s").write(dir);
		PeersYaml.none().peer(peer.publicKeyBase64(), List.of("/ip4/127.0.0.1/tcp/" + peerPort)).write(dir);
		ConfigSnapshot snapshot = new ConfigLoader(dir).load();
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		StaticListableBeanFactory dispatchers = new StaticListableBeanFactory();
		ReadGate gate = new ReadGate();
		NetworkManager network = new NetworkManager(snapshot, gate,
				dispatchers.getBeanProvider(ProtocolDispatcher.class));
		this.managers.add(network);
		MessageProtocol messages = new MessageProtocol(network, beans.getBeanProvider(ProtocolRegistry.class));
		ProtocolRegistry registry = new ProtocolRegistry(snapshot,
				List.of(new PingProtocol(beans.getBeanProvider(ProtocolRegistry.class), gate), messages), gate);
		beans.addBean("registry", registry);
		if (withProtocols) {
			dispatchers.addBean("dispatcher", registry);
		}
		network.start();
		return new Node(network, registry, messages, key);
	}

	/** Two nodes that list each other; b runs the protocol layer only when asked. */
	private List<Node> pair(boolean bHasProtocols) throws Exception {
		NodeKey a = NodeKey.generate();
		NodeKey b = NodeKey.generate();
		int portA = FreePorts.pick();
		int portB = FreePorts.pick();
		return List.of(node("a", a, b, portA, portB, true), node("b", b, a, portB, portA, bHasProtocols));
	}

	@Test
	void pingsShouldKeepTheSessionAndMessagesShouldArriveInOrder() throws Exception {
		List<Node> nodes = pair(true);
		Node nodeA = nodes.get(0);
		Node nodeB = nodes.get(1);
		NodeKey a = nodeA.key();
		NodeKey b = nodeB.key();
		List<Integer> received = Collections.synchronizedList(new ArrayList<>());
		nodeB.messages().addListener((connection, payload) -> received.add(ByteBuffer.wrap(payload).getInt()));
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> nodeA.network().connection(b.publicKeyBase64()) != null
				&& nodeB.network().connection(a.publicKeyBase64()) != null);
		Connection connection = nodeA.network().connection(b.publicKeyBase64());
		for (int i = 0; i < 500; i++) {
			nodeA.messages().send(b.publicKeyBase64(), ByteBuffer.allocate(4).putInt(i).array());
		}
		assertThat(nodeA.messages().broadcast(ByteBuffer.allocate(4).putInt(500).array())).isEqualTo(1);
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 501);
		assertThat(received).isEqualTo(IntStream.rangeClosed(0, 500).boxed().toList());
		// Three ping intervals and more: answered pings keep the session.
		Awaitility.await()
			.during(Duration.ofMillis(3500))
			.atMost(Duration.ofSeconds(6))
			.until(() -> nodeA.network().connection(b.publicKeyBase64()) == connection);
		assertThat(nodeA.network().counters().closed()).doesNotContainKey("IDLE");
		assertThat(nodeA.protocols().unknownMessages()).isZero();
	}

	@Test
	void peerThatNeverAnswersPingsShouldBeClosedAsIdle() throws Exception {
		// Node B authenticates but has no protocol layer: it never answers a ping.
		Node nodeA = pair(false).get(0);
		Awaitility.await()
			.atMost(Duration.ofSeconds(15))
			.until(() -> nodeA.network().counters().closed().getOrDefault("IDLE", 0L) >= 1);
	}

}
