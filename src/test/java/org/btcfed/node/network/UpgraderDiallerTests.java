package org.btcfed.node.network;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import org.btcfed.node.FreePorts;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.btcfed.node.network.noise.NoiseHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitPaired;
import static org.btcfed.node.network.PairChecks.assertUnaffected;

/**
 * How the upgrade of a connection the node dialled fails: node A lists B (a real node, paired)
 * and a peer X whose address is answered by someone else, a socket driven by hand or another
 * node. A checks the identity the remote proves against the one it dialled, before any yamux
 * stream can open.
 */
class UpgraderDiallerTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	private Node a;

	private Node b;

	/** Starts A (listing B and X at a port) and B (listing A), and waits until A and B are paired. */
	private Pair startDialling(NodeKey x, int port) {
		keyOfA();
		this.b = this.nodes.node("b");
		this.a.start(16, List.of(this.b.peer(), new Peer(x.publicKeyBase64(), List.of(address(port)))));
		this.b.start(this.a);
		return awaitPaired(this.a, this.b);
	}

	@Test
	void listenerProvingAnotherKeyThanTheDialledPeersShouldBeRejectedWithPeerIdMismatch() throws Exception {
		NodeKey impostor = NodeKey.generate();
		Pair pair;
		int afterHandshake;
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			pair = startDialling(NodeKey.generate(), listener.getLocalPort());
			try (RawPeer dialled = RawPeer.accept(listener)) {
				listener.close();
				dialled.answerNoise();
				NoiseHandshake noise = NoiseHandshake.responder(impostor);
				noise.readMessage(dialled.readNoise());
				dialled.writeNoise(noise.writeMessage());
				noise.readMessage(dialled.readNoise());
				assertThat(noise.remotePublicKey()).isEqualTo(this.a.key.publicKey());
				// Not even the multistream header for the muxer: the node closes right after message 3.
				afterHandshake = dialled.bytesUntilClosed();
			}
		}
		assertThat(afterHandshake).isZero();
		await().untilAsserted(() -> assertThat(this.a.network.counters().rejected()).containsEntry("PEER_ID_MISMATCH", 1L));
		assertThat(this.a.network.connection(impostor.publicKeyBase64())).isNull();
		assertUnaffected(pair, this.a, this.b);
	}

	@Test
	void nodeAnsweringForAnotherPeerShouldBeRejectedWithPeerIdMismatchBeforeEitherSideHasASession() {
		Node c = this.nodes.node("c");
		// C admits A (and dials it where nothing listens), so only A's check can refuse the connection.
		c.start(16, List.of(new Peer(keyOfA().publicKeyBase64(), List.of(address(FreePorts.pick())))));
		Pair pair = startDialling(NodeKey.generate(), c.port);
		await().untilAsserted(
				() -> assertThat(this.a.network.counters().rejected().get("PEER_ID_MISMATCH")).isPositive());
		assertThat(c.network.connections()).isEmpty();
		assertThat(c.network.counters().admitted()).isZero();
		assertThat(c.dispatcher.connected).isEmpty();
		assertThat(this.a.network.connection(c.key.publicKeyBase64())).isNull();
		assertThat(this.a.network.counters().rejected()).doesNotContainKey("UNKNOWN_PEER");
		assertUnaffected(pair, this.a, this.b);
	}

	@Test
	void secondHandshakeMessageWithAFlippedBitShouldBeRejectedWithDecryptionFailed() throws Exception {
		NodeKey x = NodeKey.generate();
		Pair pair;
		try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			pair = startDialling(x, listener.getLocalPort());
			try (RawPeer dialled = RawPeer.accept(listener)) {
				listener.close();
				dialled.answerNoise();
				NoiseHandshake noise = NoiseHandshake.responder(x);
				noise.readMessage(dialled.readNoise());
				byte[] message2 = noise.writeMessage();
				// In the encrypted static key, after the 32-byte ephemeral key.
				message2[40] ^= 0x01;
				dialled.writeNoise(message2);
				assertThat(dialled.closedByNode()).isTrue();
			}
		}
		await().untilAsserted(() -> assertThat(this.a.network.counters().rejected()).containsEntry("DECRYPTION_FAILED", 1L));
		assertThat(this.a.network.connection(x.publicKeyBase64())).isNull();
		assertUnaffected(pair, this.a, this.b);
	}

	/** A's key, fixed before A starts: C must admit it from its own start. */
	private NodeKey keyOfA() {
		if (this.a == null) {
			this.a = this.nodes.node("a");
		}
		return this.a.key;
	}

}
