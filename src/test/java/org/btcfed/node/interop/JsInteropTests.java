package org.btcfed.node.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.Direction;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.peer.PeersEndpoint;
import org.btcfed.node.protocol.IdentifyMessage;
import org.btcfed.node.protocol.IdentifyProtocol;
import org.btcfed.node.protocol.MessageProtocol;
import org.btcfed.node.protocol.PingProtocol;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The node against an implementation that is not ours: a real node ({@link InteropNode}, a Spring
 * context with the real network and protocols) and js-libp2p peers ({@link JsPeer}) on loopback,
 * dialling each other both ways, identifying and pinging each other, and being revoked, refused
 * and re-keyed by reloads. The message stream across reloads is {@link JsInteropStreamTests}.
 */
class JsInteropTests {

	static final Duration WAIT = Duration.ofSeconds(20);

	@TempDir
	Path root;

	private final NodeKey jsKey = NodeKey.generate();

	private final List<AutoCloseable> running = new ArrayList<>();

	private String name;

	@BeforeEach
	void name(TestInfo test) {
		this.name = test.getTestMethod().orElseThrow().getName();
	}

	@AfterEach
	void stop() throws Exception {
		for (int i = this.running.size() - 1; i >= 0; i--) {
			this.running.get(i).close();
		}
	}

	@Test
	void dialWhenJsDialsTheNodeShouldConnectIdentifyAndPingBothWays() throws Exception {
		InteropNode node = node().addPeer(this.jsKey.publicKeyBase64()).start();
		JsPeer js = js(null, false);

		assertThat(js.dial(node.dialAddress())).isEqualTo(node.network().peerId().toString());

		assertConnected(node, js, Direction.INBOUND);
		assertThat(js.awaitEvent(JsPeer.event("connected", node.network().peerId().toString()), WAIT)
			.path("direction").asString()).isEqualTo("outbound");
	}

	@Test
	void dialWhenTheNodeDialsJsShouldConnectIdentifyAndPingBothWays() throws Exception {
		JsPeer js = js("/ip4/127.0.0.1/tcp/0", false);
		InteropNode node = node().addPeer(this.jsKey.publicKeyBase64(), js.listenAddress()).start();

		assertConnected(node, js, Direction.OUTBOUND);
		assertThat(js.awaitEvent(JsPeer.event("connected", node.network().peerId().toString()), WAIT)
			.path("direction").asString()).isEqualTo("inbound");
	}

	@Test
	void reloadWhenJsIsRemovedFromPeersShouldCloseItsConnectionAndRefuseItsRedial() throws Exception {
		InteropNode node = node().addPeer(this.jsKey.publicKeyBase64()).start();
		JsPeer js = js(null, false);
		String nodeId = node.network().peerId().toString();
		js.dial(node.dialAddress());
		await().atMost(WAIT).until(() -> node.connection(this.jsKey) != null);

		ReloadReport report = node.removePeer(this.jsKey.publicKeyBase64()).writePeers().reload();

		assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED);
		js.awaitEvent(JsPeer.event("disconnected", nodeId), WAIT);
		await().atMost(WAIT).until(() -> node.network().counters().closed().getOrDefault("REVOKED", 0L) == 1);
		assertThat(node.network().connections()).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> js.dial(node.dialAddress()))
			.withMessageContaining("dial failed");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(node.network().counters().rejected()).containsEntry("UNKNOWN_PEER", 1L));
		assertThat(node.network().connections()).isEmpty();
		assertThat(node.network().counters().admitted()).isEqualTo(1);
	}

	@Test
	void dialWhenJsKeyIsNotInPeersShouldBeRefusedWithoutAStream() throws Exception {
		InteropNode node = node().addPeer(NodeKey.generate().publicKeyBase64()).start();
		JsPeer js = js(null, false);

		assertThatIllegalStateException().isThrownBy(() -> js.dial(node.dialAddress()))
			.withMessageContaining("dial failed");

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(node.network().counters().rejected()).containsEntry("UNKNOWN_PEER", 1L));
		assertThat(node.network().counters().admitted()).isZero();
		assertThat(node.network().connections()).isEmpty();
		assertThat(js.events()).noneMatch(JsPeer.event("connected"));
	}

	@Test
	void reloadWhenTheNodeKeyChangesShouldReconnectToJsUnderTheNewPeerId() throws Exception {
		JsPeer js = js("/ip4/127.0.0.1/tcp/0", false);
		InteropNode node = node().addPeer(this.jsKey.publicKeyBase64(), js.listenAddress()).start();
		String oldId = node.network().peerId().toString();
		js.awaitEvent(JsPeer.event("connected", oldId), WAIT);
		NodeKey newKey = NodeKey.generate();
		String newId = newKey.peerId().toString();

		ReloadReport report = node.key(newKey).writeConf().reload();

		assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED);
		js.awaitEvent(JsPeer.event("disconnected", oldId), WAIT);
		JsonNode reconnected = js.awaitEvent(JsPeer.event("connected", newId), WAIT);
		assertThat(reconnected.path("direction").asString()).isEqualTo("inbound");
		assertThat(node.bean(PeersEndpoint.class).peers().node().peerId()).isEqualTo(newId).isNotEqualTo(oldId);
		assertConnected(node, js, Direction.OUTBOUND);
		assertThat(node.network().counters().closed()).containsEntry("KEY_ROTATED", 1L);
	}

	@Test
	void listenAddressesChangedWhenTwiceDuringAReloadShouldPushBothToJsOneStreamAtATime() throws Exception {
		InteropNode node = node().addPeer(this.jsKey.publicKeyBase64()).start();
		JsPeer js = js(null, false);
		String nodeId = node.network().peerId().toString();
		js.dial(node.dialAddress());
		js.identify(nodeId);
		IdentifyProtocol identify = node.bean(IdentifyProtocol.class);

		// As in a reload that rebinds twice: the node's reads are paused, so neither push stream
		// gets js's protocol echo, and js takes one inbound push stream at a time (resets another).
		try (HotReloadable.Isolation paused = node.bean(ReadGate.class).pause()) {
			identify.listenAddressesChanged(node.network().listenAddresses());
			identify.listenAddressesChanged(node.network().listenAddresses());
		}

		await().atMost(WAIT).untilAsserted(() -> assertThat(js.events())
			.filteredOn(JsPeer.event("peerIdentified", nodeId))
			.as("js's identify, then both pushes")
			.hasSize(3));
		assertThat(js.errors()).isEmpty();
		assertThat(node.network().counters().closed()).isEmpty();
	}

	/**
	 * Both sides see one connection: the node's peers endpoint shows js's peer id as js prints it,
	 * js's identify of the node tells what the node is, where it listens and where it saw js, a
	 * ping answers, and the node's identify of js is on its connection.
	 */
	private void assertConnected(InteropNode node, JsPeer js, Direction direction) {
		String nodeId = node.network().peerId().toString();
		await().atMost(WAIT).until(() -> node.connection(this.jsKey) != null);
		Connection connection = node.connection(this.jsKey);
		assertThat(connection.direction()).isEqualTo(direction);
		assertThat(connection.peerId().toString()).isEqualTo(js.peerId());
		PeersEndpoint.Peers peers = node.bean(PeersEndpoint.class).peers();
		assertThat(peers.node().peerId()).isEqualTo(nodeId);
		assertThat(peers.connections()).singleElement().satisfies(info -> {
			assertThat(info.peerId()).isEqualTo(js.peerId());
			assertThat(info.direction()).isEqualTo(direction.name());
			assertThat(info.connectionId()).isEqualTo(connection.id());
		});

		JsPeer.Identified ofNode = js.identify(nodeId);
		assertThat(ofNode.agentVersion()).startsWith("btcfed-node/");
		assertThat(ofNode.protocols()).contains(IdentifyMessage.PROTOCOL, IdentifyMessage.PUSH_PROTOCOL, PingProtocol.ID,
				MessageProtocol.ID);
		assertThat(ofNode.listenAddrs()).contains(node.network().listenAddresses().get(0).toString());
		assertThat(ofNode.observedAddr()).startsWith("/ip4/127.0.0.1/tcp/");
		assertThat(js.ping(nodeId)).isNotNegative();

		await().atMost(WAIT).until(() -> connection.identified() != null);
		assertThat(connection.identified().agentVersion()).startsWith("js-libp2p/");
		assertThat(connection.identified().protocols()).contains(MessageProtocol.ID, PingProtocol.ID,
				IdentifyMessage.PROTOCOL, IdentifyMessage.PUSH_PROTOCOL);
		assertThat(node.bean(PeersEndpoint.class).peers().connections())
			.singleElement()
			.satisfies(info -> assertThat(info.agentVersion()).startsWith("js-libp2p/"));
		assertThat(js.errors()).isEmpty();
	}

	private InteropNode node() {
		InteropNode node = new InteropNode(this.root.resolve("node"));
		this.running.add(node);
		return node;
	}

	private JsPeer js(@Nullable String listen, boolean echo) throws Exception {
		JsPeer js = JsPeer.start(this.name + "-js", this.jsKey, listen, echo);
		this.running.add(js);
		return js;
	}

}
