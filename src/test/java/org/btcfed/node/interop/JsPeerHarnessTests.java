package org.btcfed.node.interop;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The interop harness proven on its own: two js-libp2p peers ({@link JsPeer}) with identities
 * from {@link NodeKey}, A listening in echo mode and B dialing it, over real loopback TCP with
 * Noise and yamux. What holds here is what node-vs-js tests can rely on.
 */
class JsPeerHarnessTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final NodeKey keyA = NodeKey.generate();

	private final NodeKey keyB = NodeKey.generate();

	private JsPeer a;

	private JsPeer b;

	@BeforeEach
	void startPeers(TestInfo test) throws Exception {
		String name = test.getTestMethod().orElseThrow().getName();
		this.a = JsPeer.start(name + "-a", this.keyA, "/ip4/127.0.0.1/tcp/0", true);
		this.b = JsPeer.start(name + "-b", this.keyB, null, false);
	}

	@AfterEach
	void stopPeers() {
		if (this.b != null) {
			this.b.close();
		}
		if (this.a != null) {
			this.a.close();
		}
	}

	@Test
	void peerIdWhenPrintedByJsShouldBeTheIdentityMultihashOfTheNodeKey() {
		assertThat(this.a.peerId()).isEqualTo(peerIdOf(this.keyA)).startsWith("12D3KooW").hasSize(52);
		assertThat(this.b.peerId()).isEqualTo(peerIdOf(this.keyB));
		assertThat(this.a.listenAddress()).matches("/ip4/127\\.0\\.0\\.1/tcp/[1-9][0-9]*/p2p/" + this.a.peerId());
	}

	@Test
	void dialWhenBDialsAShouldConnectBothWithTheRightDirections() {
		assertThat(this.b.dial(this.a.listenAddress())).isEqualTo(this.a.peerId());

		assertThat(this.b.awaitEvent(JsPeer.event("connected", this.a.peerId()), WAIT).path("direction").asString())
			.isEqualTo("outbound");
		assertThat(this.a.awaitEvent(JsPeer.event("connected", this.b.peerId()), WAIT).path("direction").asString())
			.isEqualTo("inbound");
		assertThat(this.a.errors()).isEmpty();
		assertThat(this.b.errors()).isEmpty();
	}

	@Test
	void pingWhenConnectedShouldAnswerBothWays() {
		this.b.dial(this.a.listenAddress());
		this.a.awaitEvent(JsPeer.event("connected", this.b.peerId()), WAIT);

		assertThat(this.b.ping(this.a.peerId())).isNotNegative();
		assertThat(this.a.ping(this.b.peerId())).isNotNegative();
	}

	@Test
	void identifyWhenConnectedShouldShowTheMessageAndPingProtocols() {
		this.b.dial(this.a.listenAddress());
		this.a.awaitEvent(JsPeer.event("connected", this.b.peerId()), WAIT);

		JsPeer.Identified ofA = this.b.identify(this.a.peerId());
		assertThat(ofA.protocols()).contains(JsPeer.PROTOCOL, "/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
		assertThat(ofA.agentVersion()).startsWith("js-libp2p/");
		assertThat(ofA.protocolVersion()).isEqualTo("ipfs/0.1.0");
		assertThat(this.a.listenAddress()).startsWith(ofA.listenAddrs().get(0) + "/p2p/");
		assertThat(ofA.observedAddr()).startsWith("/ip4/127.0.0.1/tcp/");

		JsPeer.Identified ofB = this.a.identify(this.b.peerId());
		assertThat(ofB.protocols()).contains(JsPeer.PROTOCOL, "/ipfs/ping/1.0.0");
		assertThat(ofB.listenAddrs()).isEmpty();
		// Run again on the same connection, once js's own identify is done: the same answer.
		assertThat(this.b.identify(this.a.peerId(), true)).isEqualTo(ofA);
	}

	@Test
	void sendWhenAEchoesTenThousandNumberedMessagesShouldReturnAllInOrder() {
		this.b.dial(this.a.listenAddress());

		this.b.send(this.a.peerId(), 10_000, 0);

		List<Long> expected = LongStream.range(0, 10_000).boxed().toList();
		// Each peer's events are read from its own process: A's may still be on their way when B's are in.
		await().atMost(WAIT).until(() -> this.a.messagesFrom(this.b.peerId()).size() >= expected.size()
				&& this.b.messagesFrom(this.a.peerId()).size() >= expected.size());
		assertThat(this.a.messagesFrom(this.b.peerId())).isEqualTo(expected);
		assertThat(this.b.messagesFrom(this.a.peerId())).isEqualTo(expected);
		assertThat(this.a.errors()).isEmpty();
		assertThat(this.b.errors()).isEmpty();
		// One long-lived stream each way: none of them ended.
		assertThat(this.a.events()).noneMatch(JsPeer.event("streamEnded"));
	}

	@Test
	void sendPayloadWhenEmptyOrLargerThanAYamuxFrameShouldEchoTheSameBytes() {
		this.b.dial(this.a.listenAddress());
		byte[] large = new byte[200_000];
		for (int i = 0; i < large.length; i++) {
			large[i] = (byte) (i * 31);
		}
		byte[] text = "btcfed".getBytes(StandardCharsets.UTF_8);

		this.b.sendPayload(this.a.peerId(), new byte[0]);
		this.b.sendPayload(this.a.peerId(), large);
		this.b.sendPayload(this.a.peerId(), text);

		await().atMost(WAIT).until(() -> this.b.payloadsFrom(this.a.peerId()).size() >= 3);
		assertThat(this.b.payloadsFrom(this.a.peerId())).containsExactly(new byte[0], large, text);
		assertThat(this.a.messagesFrom(this.b.peerId())).isEmpty();
	}

	@Test
	void sendWhenTheConnectionWasClosedAndRedialedShouldOpenANewStream() {
		this.b.dial(this.a.listenAddress());
		this.b.send(this.a.peerId(), 5, 0);
		await().atMost(WAIT).until(() -> this.b.messagesFrom(this.a.peerId()).size() >= 5);

		this.b.hangUp(this.a.peerId());
		this.a.awaitEvent(JsPeer.event("disconnected", this.b.peerId()), WAIT);
		this.b.awaitEvent(JsPeer.event("disconnected", this.a.peerId()), WAIT);
		this.b.dial(this.a.listenAddress());
		this.b.send(this.a.peerId(), 5, 5);

		await().atMost(WAIT).until(() -> this.b.messagesFrom(this.a.peerId()).size() >= 10);
		assertThat(this.b.messagesFrom(this.a.peerId())).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
	}

	@Test
	void dialWhenTheAddressNamesAnotherPeerShouldFailWithTheJsError() {
		String wrong = this.a.listenAddress().replace(this.a.peerId(), peerIdOf(NodeKey.generate()));

		assertThatIllegalStateException().isThrownBy(() -> this.b.dial(wrong)).withMessageContaining("dial failed");
		assertThat(this.b.errors()).singleElement().satisfies(error -> assertThat(error.path("cmd").asString()).isEqualTo("dial"));
	}

	@Test
	void base58WhenGivenKnownVectorsShouldMatchThem() {
		assertThat(base58("Hello World!".getBytes(StandardCharsets.US_ASCII))).isEqualTo("2NEpo7TZRRrLZSi2U");
		assertThat(base58(new byte[] { 0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd })).isEqualTo("11233QC4");
	}

	/**
	 * The peer id of an Ed25519 key: the identity multihash {@code 00 24} of the protobuf
	 * {@code PublicKey} {@code 08 01 12 20 <key>}, in base58btc. Test-only until the main code has
	 * its own peer-id class.
	 */
	static String peerIdOf(NodeKey key) {
		ByteArrayOutputStream multihash = new ByteArrayOutputStream();
		multihash.writeBytes(new byte[] { 0x00, 0x24, 0x08, 0x01, 0x12, 0x20 });
		multihash.writeBytes(key.publicKey());
		return base58(multihash.toByteArray());
	}

	private static String base58(byte[] bytes) {
		String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
		StringBuilder text = new StringBuilder();
		BigInteger fiftyEight = BigInteger.valueOf(58);
		for (BigInteger n = new BigInteger(1, bytes); n.signum() > 0; n = n.divide(fiftyEight)) {
			text.append(alphabet.charAt(n.mod(fiftyEight).intValue()));
		}
		for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
			text.append('1');
		}
		return text.reverse().toString();
	}

}
