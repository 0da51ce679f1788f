package org.btcfed.node;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.Direction;
import org.btcfed.node.peer.PeersEndpoint;
import org.btcfed.node.reload.ConfigChange.Kind;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.Federation.CONNECT;
import static org.btcfed.node.Federation.actions;
import static org.btcfed.node.Federation.assertSucceeded;
import static org.btcfed.node.Federation.componentNames;
import static org.btcfed.node.Federation.listenAddresses;

/**
 * A federation of three real nodes on loopback, each a Spring Boot context of its own in this JVM
 * with its own files, key and P2P port, reloaded by editing those files as an operator does:
 * listen addresses, peers, the node key, and a failure that must roll back (the message stream
 * across many reloads is {@link FederationStreamIntegrationTests}). Connections are compared by
 * id, which is unique for the life of a node: the same id after a reload means the same TCP
 * connection.
 * <p>
 * Every test gets a {@linkplain Federation federation} of its own, started and fully connected
 * before it runs and stopped after it, so that no test depends on another or on their order. The
 * nodes share the JVM's one Logback context (see {@link FederationNode}): one test checks what
 * that leaves each node's logging component to do.
 */
@ExtendWith(OutputCaptureExtension.class)
class FederationIntegrationTests {

	@RegisterExtension
	final Federation federation = new Federation();

	private FederationNode a;

	private FederationNode b;

	private FederationNode c;

	@BeforeEach
	void nameTheNodes() {
		this.a = this.federation.a;
		this.b = this.federation.b;
		this.c = this.federation.c;
	}

	@Test
	void startWhenNodesListEachOtherShouldConnectEveryPairExactlyOnce() {
		this.federation.awaitFullyConnected();
		for (FederationNode node : nodes()) {
			assertThat(node.network().connections()).as("%s", node)
				.hasSize(2)
				.extracting(Connection::peerKey)
				.containsExactlyInAnyOrderElementsOf(others(node).stream().map(FederationNode::publicKey).toList());
			PeersEndpoint.Peers peers = node.bean(PeersEndpoint.class).peers();
			assertThat(peers.configured()).as("%s", node).hasSize(2).allMatch(PeersEndpoint.Configured::connected);
			assertThat(peers.connections()).as("%s", node)
				.extracting(PeersEndpoint.ConnectionInfo::connectionId)
				.containsExactlyInAnyOrderElementsOf(node.connectionIds().values());
			assertThat(peers.node().listening()).as("%s", node).containsExactlyElementsOf(node.addresses());
		}
		for (FederationNode node : nodes()) {
			for (FederationNode other : others(node)) {
				assertThat(node.connectionTo(other).direction()).as("%s to %s", node, other)
					.isNotEqualTo(other.connectionTo(node).direction());
			}
		}
		// Test configuration stays where it is given: only C has the fault-injecting component,
		// which is updated after logging, as the peer store is after the network.
		assertThat(componentNames(this.a)).containsExactly("logging", "network", "protocol", "peers");
		assertThat(componentNames(this.b)).containsExactly("logging", "network", "protocol", "peers");
		assertThat(componentNames(this.c)).containsExactly("logging", "network", "protocol", "faulty-network",
				"peers");
	}

	@Test
	void reloadWhenPeerRemovedAndAddedBackShouldCloseAndRedialOnlyThatPeer() {
		Map<String, Map<String, String>> before = connectionIds();
		String keyOfB = this.b.publicKey();
		String keyOfC = this.c.publicKey();
		String addressOfC = this.c.addresses().get(0);
		long revoked = closedCount(this.a, "REVOKED");
		long unknown = rejectedCount(this.a, "UNKNOWN_PEER");

		this.a.removePeer(keyOfC).writePeers();
		ReloadReport removed = this.a.reload(ReloadTrigger.SIGNAL);
		assertSucceeded(removed);
		assertThat(removed.trigger()).isEqualTo(ReloadTrigger.SIGNAL);
		assertThat(removed.changes())
			.containsExactly(new ConfigChange("peers[" + keyOfC + "].addresses[0]", Kind.REMOVED, addressOfC, null));
		assertThat(actions(removed)).containsExactly("peers:UPDATED");
		await("A and C disconnected").atMost(CONNECT)
			.until(() -> this.a.connectionTo(this.c) == null && this.c.connectionTo(this.a) == null);
		assertThat(closedCount(this.a, "REVOKED")).isEqualTo(revoked + 1);
		assertThat(this.a.connectionIds()).isEqualTo(Map.of(keyOfB, before.get("A").get(keyOfB)));
		assertThat(this.b.connectionIds()).isEqualTo(before.get("B"));
		assertThat(this.c.connectionIds()).isEqualTo(Map.of(keyOfB, before.get("C").get(keyOfB)));
		// C still lists A and dials it again: the revocation holds, A refuses C's handshake.
		await("A refusing C").atMost(CONNECT).until(() -> rejectedCount(this.a, "UNKNOWN_PEER") > unknown);
		assertThat(this.a.connectionTo(this.c)).isNull();

		this.a.addPeer(this.c).writePeers();
		ReloadReport added = this.a.reload();
		assertSucceeded(added);
		assertThat(added.changes())
			.containsExactly(new ConfigChange("peers[" + keyOfC + "].addresses[0]", Kind.ADDED, null, addressOfC));
		assertThat(actions(added)).containsExactly("peers:UPDATED");
		await("A and C connected again within peers.connection_timeout")
			.atMost(Duration.parse("PT" + FederationNode.CONNECTION_TIMEOUT))
			.until(() -> this.a.connectionTo(this.c) != null && this.c.connectionTo(this.a) != null);
		this.federation.awaitFullyConnected();
		assertThat(this.a.connectionIds()).containsEntry(keyOfB, before.get("A").get(keyOfB));
		assertThat(this.b.connectionIds()).isEqualTo(before.get("B"));
		assertThat(this.c.connectionIds()).containsEntry(keyOfB, before.get("C").get(keyOfB));
		assertThat(this.a.connectionTo(this.c).id()).isNotEqualTo(before.get("A").get(keyOfC));
	}

	@Test
	void reloadWhenListenAddressChangesShouldKeepEveryConnectionId() throws Exception {
		Map<String, Map<String, String>> before = connectionIds();
		String oldAddress = this.a.addresses().get(0);
		String newAddress = FreePorts.loopbackAddress();

		this.a.addresses(List.of(oldAddress, newAddress)).writeConf();
		ReloadReport opened = this.a.reload();
		assertSucceeded(opened);
		assertThat(opened.changes())
			.containsExactly(new ConfigChange("network.addresses[1]", Kind.ADDED, null, newAddress));
		assertThat(actions(opened)).containsExactly("network:UPDATED");
		assertThat(listenAddresses(this.a)).containsExactly(oldAddress, newAddress);
		assertThat(connectionIds()).isEqualTo(before);

		this.a.addresses(List.of(newAddress)).writeConf();
		ReloadReport closed = this.a.reload();
		assertSucceeded(closed);
		assertThat(closed.changes()).containsExactly(
				new ConfigChange("network.addresses[0]", Kind.MODIFIED, oldAddress, newAddress),
				new ConfigChange("network.addresses[1]", Kind.REMOVED, newAddress, null));
		assertThat(actions(closed)).containsExactly("network:UPDATED");
		assertThat(listenAddresses(this.a)).containsExactly(newAddress);
		assertThatExceptionOfType(IOException.class).as("connecting to the old address")
			.isThrownBy(() -> connect(oldAddress));
		assertThat(connectionIds()).isEqualTo(before);

		// B and C learn the new address: used from their next dial, their connection stays.
		for (FederationNode peer : List.of(this.b, this.c)) {
			peer.addPeer(this.a).writePeers();
			ReloadReport learned = peer.reload();
			assertSucceeded(learned);
			assertThat(learned.changes()).containsExactly(new ConfigChange(
					"peers[" + this.a.publicKey() + "].addresses[0]", Kind.MODIFIED, oldAddress, newAddress));
			assertThat(actions(learned)).containsExactly("peers:UPDATED");
		}
		assertThat(connectionIds()).isEqualTo(before);

		newPeerShouldConnectOn(newAddress, before);
	}

	/**
	 * A new peer, D, that knows A only by {@code address}, dials it there and is admitted; A lists
	 * D at an address where nothing listens (every peer needs one), so only D's dial connects. D is
	 * then stopped and dropped from A's peers.yaml.
	 */
	private void newPeerShouldConnectOn(String address, Map<String, Map<String, String>> before) {
		FederationNode d = this.federation.newNode("D").addPeer(this.a);
		ReloadReport forgotten;
		try {
			this.a.addPeer(d.publicKey(), List.of(FreePorts.loopbackAddress())).writePeers();
			assertSucceeded(this.a.reload());
			d.start(NodeApplication.class);
			await("D connected to A on " + address).atMost(CONNECT).untilAsserted(() -> {
				Connection dialled = d.connectionTo(this.a);
				assertThat(dialled).isNotNull();
				assertThat(dialled.direction()).isEqualTo(Direction.OUTBOUND);
				assertThat(dialled.remoteAddress()).isEqualTo(Multiaddr.parse(address));
				Connection accepted = this.a.connectionTo(d);
				assertThat(accepted).isNotNull();
				assertThat(accepted.direction()).isEqualTo(Direction.INBOUND);
			});
			Map<String, Map<String, String>> withD = connectionIds();
			withD.get("A").remove(d.publicKey());
			assertThat(withD).isEqualTo(before);
		}
		finally {
			d.close();
			this.a.removePeer(d.publicKey()).writePeers();
			forgotten = this.a.reload();
		}
		assertSucceeded(forgotten);
		assertThat(forgotten.changes()).extracting(ConfigChange::key, ConfigChange::change)
			.containsExactly(tuple("peers[" + d.publicKey() + "].addresses[0]", Kind.REMOVED));
		await("D gone from A").atMost(CONNECT).until(() -> this.a.network().connection(d.publicKey()) == null);
		assertThat(connectionIds()).isEqualTo(before);
	}

	/**
	 * The Logback context is one per JVM: Spring Boot configures it as A starts and leaves it to B
	 * and C ({@link FederationNode} says why), and each node's logging component takes the root
	 * over as it starts. So one appender is on the root, that of the last node started (C), a level
	 * reload on A, started first, still sets the shared root level, and lines still reach the
	 * console. A format or output reload on A would succeed and change nothing, its appender being
	 * detached: a limit of several nodes in one JVM, not asserted.
	 */
	@Test
	void reloadWhenLoggingLevelChangesOnAnEarlierNodeShouldDriveTheSharedRootLogger(CapturedOutput output) {
		Map<String, Map<String, String>> before = connectionIds();
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		rootLogger().iteratorForAppenders().forEachRemaining(appenders::add);
		assertThat(appenders).singleElement().satisfies(appender -> {
			assertThat(appender.getName()).isEqualTo("BTCFED");
			assertThat(appender.isStarted()).isTrue();
		});

		this.a.level("warn").writeConf();
		ReloadReport quieter = this.a.reload();
		assertSucceeded(quieter);
		assertThat(quieter.changes()).containsExactly(new ConfigChange("logging.level", Kind.MODIFIED, "info", "warn"));
		assertThat(actions(quieter)).containsExactly("logging:UPDATED");
		assertThat(rootLogger().getLevel()).isEqualTo(Level.WARN);
		assertThat(this.a.context().getEnvironment().getProperty("btcfed.logging.level")).isEqualTo("warn");
		assertThat(this.b.context().getEnvironment().getProperty("btcfed.logging.level")).isEqualTo("info");
		LoggerFactory.getLogger(FederationIntegrationTests.class).info("federation marker: hidden at warn");

		this.a.level("info").writeConf();
		assertSucceeded(this.a.reload());
		assertThat(rootLogger().getLevel()).isEqualTo(Level.INFO);
		LoggerFactory.getLogger(FederationIntegrationTests.class).info("federation marker: shown at info");
		assertThat(output).contains("federation marker: shown at info")
			.doesNotContain("federation marker: hidden at warn");
		assertThat(connectionIds()).isEqualTo(before);
	}

	@Test
	void reloadWhenNetworkFailsAfterLoggingAppliedShouldRollBackAndKeepEveryConnection() {
		Map<String, Map<String, String>> before = connectionIds();
		ReloadCoordinator coordinator = this.c.bean(ReloadCoordinator.class);
		String running = coordinator.active().version();
		this.federation.faulty.failApply = true;
		ReloadReport report;
		try {
			this.c.level("error").maxConnections(8).writeConf();
			report = this.c.reload();
		}
		finally {
			this.federation.faulty.failApply = false;
			this.c.level("info").maxConnections(16).writeConf();
		}
		assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(report.changes()).containsExactly(
				new ConfigChange("logging.level", Kind.MODIFIED, "info", "error"),
				new ConfigChange("network.max_connections", Kind.MODIFIED, "16", "8"));
		assertThat(actions(report)).containsExactly("logging:UPDATED", "network:UPDATED", "faulty-network:FAILED",
				"faulty-network:ROLLED_BACK", "network:ROLLED_BACK", "logging:ROLLED_BACK");
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.type()).isEqualTo(ErrorType.COMPONENT);
			assertThat(error.component()).isEqualTo("faulty-network");
			assertThat(error.message()).contains("injected failure");
		});
		assertThat(rootLogger().getLevel()).isEqualTo(Level.INFO);
		assertThat(this.c.context().getEnvironment().getProperty("btcfed.logging.level")).isEqualTo("info");
		assertThat(this.c.context().getEnvironment().getProperty("btcfed.network.max_connections")).isEqualTo("16");
		assertThat(coordinator.active().version()).isEqualTo(running);
		assertThat(coordinator.state()).isEqualTo(ReloadState.IDLE);
		assertThat(connectionIds()).isEqualTo(before);
		assertThat(nodes()).allSatisfy(node -> assertThat(node.network().connections()).allMatch(Connection::isOpen));
		// The files say again what runs: nothing to do.
		assertThat(this.c.reload().status()).isEqualTo(ReloadStatus.NO_CHANGE);
	}

	@Test
	void reloadWhenPrivateKeyChangesShouldReauthenticateUnderTheNewKey() {
		Map<String, Map<String, String>> before = connectionIds();
		NodeKey oldKey = this.a.rotateKey();
		String oldPublicKey = oldKey.publicKeyBase64();
		String newPublicKey = this.a.publicKey();
		String address = this.a.addresses().get(0);
		this.a.writeConf();

		// The peers first: they revoke A's old identity and admit the new one.
		for (FederationNode peer : List.of(this.b, this.c)) {
			peer.removePeer(oldPublicKey).addPeer(this.a).writePeers();
			ReloadReport trusted = peer.reload();
			assertSucceeded(trusted);
			assertThat(trusted.changes()).containsExactlyInAnyOrder(
					new ConfigChange("peers[" + oldPublicKey + "].addresses[0]", Kind.REMOVED, address, null),
					new ConfigChange("peers[" + newPublicKey + "].addresses[0]", Kind.ADDED, null, address));
			assertThat(actions(trusted)).containsExactly("peers:UPDATED");
			await("old A gone from " + peer).atMost(CONNECT)
				.until(() -> peer.network().connection(oldPublicKey) == null);
		}
		assertThat(this.b.connectionIds()).isEqualTo(Map.of(this.c.publicKey(), before.get("B").get(this.c.publicKey())));

		ReloadReport rotated = this.a.reload();
		assertSucceeded(rotated);
		assertThat(rotated.changes())
			.containsExactly(new ConfigChange("node.private_key", Kind.MODIFIED, "******", "******"));
		assertThat(actions(rotated)).containsExactly("network:RESTARTED");
		assertThat(rotated.toString()).doesNotContain(oldKey.encoded()).doesNotContain(this.a.key().encoded());
		assertThat(this.a.network().publicKey()).isEqualTo(newPublicKey);
		await("B and C re-authenticate A").atMost(CONNECT)
			.until(() -> this.b.network().connection(newPublicKey) != null
					&& this.c.network().connection(newPublicKey) != null);
		this.federation.awaitFullyConnected();
		assertThat(this.b.connectionIds()).containsEntry(this.c.publicKey(), before.get("B").get(this.c.publicKey()));
		assertThat(this.c.connectionIds()).containsEntry(this.b.publicKey(), before.get("C").get(this.b.publicKey()));
		assertThat(this.a.connectionIds().values()).doesNotContainAnyElementsOf(before.get("A").values());

		// The new session carries messages.
		this.a.inbox().clear();
		this.b.messages().send(newPublicKey, ByteBuffer.allocate(4).putInt(42).array());
		await("message over the new session").atMost(CONNECT).until(() -> !this.a.inbox().isEmpty());
		assertThat(this.a.inbox()).singleElement().satisfies(received -> {
			assertThat(received.number()).isEqualTo(42);
			assertThat(received.connectionId()).isEqualTo(this.a.connectionTo(this.b).id());
		});
	}

	private List<FederationNode> nodes() {
		return this.federation.nodes();
	}

	private List<FederationNode> others(FederationNode node) {
		return this.federation.others(node);
	}

	/** @return the open connections' ids by peer key, by node name */
	private Map<String, Map<String, String>> connectionIds() {
		return this.federation.connectionIds();
	}

	private static long closedCount(FederationNode node, String reason) {
		return node.network().counters().closed().getOrDefault(reason, 0L);
	}

	private static long rejectedCount(FederationNode node, String reason) {
		return node.network().counters().rejected().getOrDefault(reason, 0L);
	}

	private static void connect(String address) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(Multiaddr.parse(address).toSocketAddress(), 2_000);
		}
	}

	private static Logger rootLogger() {
		return (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
	}

}
