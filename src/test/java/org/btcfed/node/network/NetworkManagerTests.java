package org.btcfed.node.network;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.btcfed.node.FreePorts;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.TransientReloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.SETTLED;
import static org.btcfed.node.network.LoopbackNodes.TIMEOUT;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitPaired;
import static org.btcfed.node.network.LoopbackNodes.awaitRefused;
import static org.btcfed.node.network.LoopbackNodes.startPaired;

/**
 * The network manager's sessions and reloads (listen addresses, limits, identity), with managers
 * built directly from real config files, talking real TCP over loopback to each other and to
 * hand-driven sockets. Its lifecycle is {@link NetworkManagerLifecycleTests}', who is admitted
 * {@link AdmissionTests}'.
 */
class NetworkManagerTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	@Test
	void twoNodesListingEachOtherShouldKeepExactlyOneAuthenticatedConnectionWithOppositeDirections() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair pair = startPaired(a, b);
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
		Pair pair = startPaired(a, b);
		LoopbackNodes.send(pair.a(), "/test/msg", "from a");
		LoopbackNodes.send(pair.b(), "/test/ping", "");
		await().untilAsserted(() -> {
			assertThat(b.dispatcher.messages).containsExactly("/test/msg from a");
			assertThat(a.dispatcher.messages).containsExactly("/test/ping ");
		});
		assertThat(b.dispatcher.senders).containsOnly(pair.b());
	}

	@Test
	void applyWhenListenAddressesChangeShouldRebindAndKeepTheEstablishedConnection() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair before = startPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		int extra = FreePorts.pick();
		ConfigSnapshot both = a.config(a.key, List.of(a.port, extra), 16, b);
		a.network.apply(new ComponentUpdate(a.startup, both, List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(a.port), address(extra));
		try (RawPeer raw = RawPeer.connect(extra)) {
			raw.handshake(NodeKey.generate(), a.key.publicKey());
		}
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		ConfigSnapshot onlyExtra = a.config(a.key, List.of(extra), 16, b);
		a.network.apply(new ComponentUpdate(both, onlyExtra, List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(extra));
		awaitRefused(a.port);
		try (RawPeer raw = RawPeer.connect(extra)) {
			raw.handshake(NodeKey.generate(), a.key.publicKey());
		}
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		assertThat(b.network.connection(a.key.publicKeyBase64())).isSameAs(before.b());
		assertThat(before.a().isOpen()).isTrue();
		LoopbackNodes.send(before.b(), "/test/msg", "still here");
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).containsExactly("/test/msg still here"));
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}

	@Test
	void applyWhenAListenAddressIsTakenShouldFailTransientlyAndKeepTheOldListeners() throws Exception {
		Node a = this.nodes.node("a");
		a.start();
		int free = FreePorts.pick();
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
	void applyWhenMaxConnectionsIsLoweredBelowTheCountShouldKeepConnectionsAndRefuseNewOnes() throws Exception {
		NodeKey late = NodeKey.generate();
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Node c = this.nodes.node("c");
		a.start(3, List.of(b.peer(), c.peer(), new Peer(late.publicKeyBase64(), List.of(address(FreePorts.pick())))));
		b.start(a);
		c.start(a);
		Pair withB = awaitPaired(a, b);
		Pair withC = awaitPaired(a, c);
		Map<String, Long> closedBefore = a.network.counters().closed();
		// Dials crossing at start may have met the limit of 3 already: only the newcomer counts here.
		long limitBefore = a.network.counters().rejected().getOrDefault("CONNECTION_LIMIT", 0L);
		ConfigSnapshot lower = a.config(a.key, List.of(a.port), 1);
		a.network.apply(new ComponentUpdate(a.startup, lower, List.of()));
		await().during(SETTLED).atMost(SETTLED.multipliedBy(5))
			.untilAsserted(() -> assertThat(a.network.connections()).containsExactlyInAnyOrder(withB.a(), withC.a()));
		try (RawPeer newcomer = RawPeer.connect(a.port)) {
			newcomer.handshake(late, a.key.publicKey());
			assertThat(newcomer.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected())
			.containsEntry("CONNECTION_LIMIT", limitBefore + 1));
		assertThat(a.network.connections()).containsExactlyInAnyOrder(withB.a(), withC.a());
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}

	@Test
	void applyWhenKeyChangesShouldCloseSessionsWithKeyRotatedAndReconnectUnderTheNewIdentity() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair before = startPaired(a, b);
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
		Pair before = startPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		a.network.apply(new ComponentUpdate(a.startup, a.config(a.key, List.of(a.port), 16, b), List.of()));
		assertThat(a.network.listenAddresses()).containsExactly(address(a.port));
		assertThat(a.network.connection(b.key.publicKeyBase64())).isSameAs(before.a());
		assertThat(before.a().isOpen()).isTrue();
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
	}

}
