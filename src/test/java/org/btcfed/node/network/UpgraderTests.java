package org.btcfed.node.network;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.btcfed.node.network.noise.ForgedInitiator;
import org.btcfed.node.network.noise.NoiseHandshake;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.TIMEOUT;
import static org.btcfed.node.network.LoopbackNodes.startPaired;
import static org.btcfed.node.network.PairChecks.assertUnaffected;
import static org.btcfed.node.network.PairChecks.ignoringPairing;
import static org.btcfed.node.network.PairChecks.plusOne;

/**
 * How the upgrade of an inbound connection fails before authentication (multistream-select and
 * the Noise handshake), against a real network manager on loopback, driven by hand from a
 * blocking socket: each failure is counted once by its reason, the node closes the socket, and
 * the session the node holds with another node goes on. A key that is not admitted is
 * {@link AdmissionTests}'; the dialler's side is {@link UpgraderDiallerTests}', the muxer and the
 * session {@link UpgraderSessionTests}'.
 */
class UpgraderTests {

	private static final byte[] NA = { 0x03, 'n', 'a', '\n' };

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	private Node a;

	private Node b;

	private Pair pair;

	private void startPair() {
		this.a = this.nodes.node("a");
		this.b = this.nodes.node("b");
		this.pair = startPaired(this.a, this.b);
	}

	/** Asserts the node closed the client, counted one rejection for it, and nothing else moved. */
	private void assertRejected(RawPeer client, Map<String, Long> rejectedBefore, RejectReason reason)
			throws Exception {
		assertThat(client.closedByNode()).isTrue();
		await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().rejected()))
			.isEqualTo(plusOne(rejectedBefore, reason)));
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void silentClientShouldBeRejectedWithHandshakeTimeout() throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		long start = System.nanoTime();
		try (RawPeer silent = RawPeer.connect(this.a.port)) {
			silent.readHeader();
			assertThat(silent.closedByNode()).isTrue();
		}
		Duration waited = Duration.ofNanos(System.nanoTime() - start);
		assertThat(waited).isBetween(TIMEOUT.minusMillis(100), TIMEOUT.plusSeconds(2));
		await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().rejected()))
			.isEqualTo(plusOne(before, RejectReason.HANDSHAKE_TIMEOUT)));
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void clientProposingOnlyTlsShouldGetNaAndThenBeRejectedWithHandshakeTimeout() throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		long start = System.nanoTime();
		try (RawPeer tls = RawPeer.connect(this.a.port)) {
			tls.send(concat(RawPeer.mss("/multistream/1.0.0"), RawPeer.mss("/tls/1.0.0")));
			tls.readHeader();
			assertThat(tls.readExactly(NA.length)).isEqualTo(NA);
			// The node waits for another proposal, as go does, but no longer than the handshake may take.
			assertRejected(tls, before, RejectReason.HANDSHAKE_TIMEOUT);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT.minusMillis(100),
				TIMEOUT.plusSeconds(4));
	}

	@Test
	void clientGivingUpAfterNaShouldBeClosedAtOnceAndCountedAsNoRejection() throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		long start = System.nanoTime();
		try (RawPeer tls = RawPeer.connect(this.a.port)) {
			tls.send(concat(RawPeer.mss("/multistream/1.0.0"), RawPeer.mss("/tls/1.0.0")));
			tls.readHeader();
			assertThat(tls.readExactly(NA.length)).isEqualTo(NA);
			tls.shutdownOutput();
			assertThat(tls.closedByNode()).isTrue();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
		// Nothing is counted, now or when the handshake timeout would have run out.
		await().during(TIMEOUT.plusMillis(500))
			.atMost(TIMEOUT.plusSeconds(2))
			.untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().rejected()))
				.isEqualTo(ignoringPairing(before)));
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void clientProposingMoreThanSixteenUnsupportedProtocolsShouldBeRejectedWithNegotiationFailed()
			throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		try (RawPeer client = RawPeer.connect(this.a.port)) {
			client.send(RawPeer.mss("/multistream/1.0.0"));
			client.readHeader();
			for (int i = 0; i < 16; i++) {
				client.send(RawPeer.mss("/tls/1.0." + i));
				assertThat(client.readExactly(NA.length)).isEqualTo(NA);
			}
			client.send(RawPeer.mss("/tls/1.0.16"));
			assertRejected(client, before, RejectReason.NEGOTIATION_FAILED);
		}
	}

	@Test
	void clientProvingTheNodesOwnKeyShouldBeRejectedWithSelf() throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		try (RawPeer self = RawPeer.connect(this.a.port)) {
			self.handshake(this.a.key, this.a.key.publicKey());
			assertRejected(self, before, RejectReason.SELF);
		}
		assertThat(this.a.network.connection(this.a.key.publicKeyBase64())).isNull();
	}

	@Test
	void admittedKeySigningAnotherStaticKeyShouldBeRejectedWithBadSignature() throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		ForgedInitiator forged = new ForgedInitiator(this.b.key);
		try (RawPeer client = RawPeer.connect(this.a.port)) {
			client.selectNoise();
			client.writeNoise(forged.message1());
			forged.readMessage2(client.readNoise());
			client.writeNoise(forged.message3SignedOverAnotherStaticKey());
			assertRejected(client, before, RejectReason.BAD_SIGNATURE);
		}
	}

	/**
	 * Message 3 is 168 bytes: the encrypted static key (32 + 16-byte tag), then the encrypted
	 * payload (identity key and signature, 104 + 16-byte tag). A bit flipped in either, ciphertext
	 * or tag, fails to decrypt.
	 */
	@ParameterizedTest
	@ValueSource(ints = { 0, 47, 48, 167 })
	void thirdHandshakeMessageWithAFlippedBitShouldBeRejectedWithDecryptionFailed(int index) throws Exception {
		startPair();
		thirdMessageShouldBeRejected(message3 -> {
			assertThat(message3).hasSize(168);
			message3[index] ^= 0x10;
			return message3;
		}, RejectReason.DECRYPTION_FAILED);
	}

	@Test
	void thirdHandshakeMessageOfRandomBytesShouldBeRejectedWithDecryptionFailed() throws Exception {
		startPair();
		thirdMessageShouldBeRejected(message3 -> {
			byte[] garbage = new byte[message3.length];
			new Random(7).nextBytes(garbage);
			return garbage;
		}, RejectReason.DECRYPTION_FAILED);
	}

	@Test
	void thirdHandshakeMessageTooShortForItsStaticKeyShouldBeRejectedAsMalformed() throws Exception {
		startPair();
		thirdMessageShouldBeRejected(message3 -> new byte[10], RejectReason.MALFORMED);
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 5, 31 })
	void firstHandshakeMessageShorterThanAnEphemeralKeyShouldBeRejectedAsMalformed(int length) throws Exception {
		startPair();
		Map<String, Long> before = this.a.network.counters().rejected();
		try (RawPeer client = RawPeer.connect(this.a.port)) {
			client.selectNoise();
			client.writeNoise(new byte[length]);
			assertRejected(client, before, RejectReason.MALFORMED);
		}
	}

	/** Runs the handshake as B up to message 3, which is sent changed; the node must refuse it. */
	private void thirdMessageShouldBeRejected(UnaryOperator<byte[]> tamper, RejectReason reason) throws Exception {
		Map<String, Long> before = this.a.network.counters().rejected();
		try (RawPeer client = RawPeer.connect(this.a.port)) {
			NoiseHandshake noise = NoiseHandshake.initiator(this.b.key);
			client.selectNoise();
			client.writeNoise(noise.writeMessage());
			noise.readMessage(client.readNoise());
			client.writeNoise(tamper.apply(noise.writeMessage()));
			assertRejected(client, before, reason);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
