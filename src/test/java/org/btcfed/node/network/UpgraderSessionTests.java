package org.btcfed.node.network;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import org.btcfed.node.FreePorts;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.Libp2pClient.RecordedStream;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.btcfed.node.network.multistream.MultistreamException;
import org.btcfed.node.network.yamux.YamuxGoAway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.TIMEOUT;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitPaired;
import static org.btcfed.node.network.PairChecks.assertUnaffected;
import static org.btcfed.node.network.PairChecks.ignoringPairing;
import static org.btcfed.node.network.PairChecks.plusOne;

/**
 * The upgrade's last step (the muxer, inside Noise) and the session after it, against a real
 * network manager on loopback: an admitted peer K dials in with a client built from the node's
 * own Netty layers ({@link Libp2pClient}), which proposes what a test says and then writes yamux
 * frames of its own, encrypted by Noise. Node A is paired with node B throughout.
 */
class UpgraderSessionTests {

	private static final byte[] HEADER = RawPeer.mss("/multistream/1.0.0");

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	private final NodeKey k = NodeKey.generate();

	private Node a;

	private Node b;

	private Pair pair;

	/** A admits B and K (dialling K where nothing listens); B admits A. */
	private Libp2pClient startAndDial(String... muxers) {
		this.a = this.nodes.node("a");
		this.b = this.nodes.node("b");
		this.a.start(16, List.of(this.b.peer(), new Peer(this.k.publicKeyBase64(), List.of(address(FreePorts.pick())))));
		this.b.start(this.a);
		this.pair = awaitPaired(this.a, this.b);
		return Libp2pClient.connect(this.a.port, this.k, muxers);
	}

	@Test
	void admittedPeerProposingOnlyMplexShouldGetNaAndBeRejectedWithHandshakeTimeout() {
		long start = System.nanoTime();
		try (Libp2pClient client = startAndDial("/mplex/6.7.0")) {
			Map<String, Long> before = this.a.network.counters().rejected();
			// The client hears na and gives up on its side; the node waits for another proposal.
			assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> client.muxer.join())
				.withCauseInstanceOf(MultistreamException.class)
				.withMessageContaining("supports none of [/mplex/6.7.0]");
			await().atMost(TIMEOUT.plusSeconds(5)).until(() -> !client.channel.isActive());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(TIMEOUT);
			await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().rejected()))
				.isEqualTo(plusOne(before, RejectReason.HANDSHAKE_TIMEOUT)));
		}
		assertThat(this.a.network.connection(this.k.publicKeyBase64())).isNull();
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void admittedPeerProposingSeventeenUnknownMuxersShouldBeRejectedWithNegotiationFailed() {
		String[] muxers = IntStream.rangeClosed(0, 16).mapToObj(i -> "/mplex/6.7." + i).toArray(String[]::new);
		try (Libp2pClient client = startAndDial(muxers)) {
			Map<String, Long> before = this.a.network.counters().rejected();
			await().until(() -> !client.channel.isActive());
			await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().rejected()))
				.isEqualTo(plusOne(before, RejectReason.NEGOTIATION_FAILED)));
			assertThat(client.muxer).isNotDone();
		}
		assertThat(this.a.network.connection(this.k.publicKeyBase64())).isNull();
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void yamuxFrameOfAnotherVersionShouldCloseTheSessionWithMalformed() {
		try (Libp2pClient client = startAndDial(Upgrader.YAMUX)) {
			Connection session = LoopbackNodes.awaitConnection(this.a, this.k);
			Map<String, Long> before = this.a.network.counters().closed();
			client.writeBelowYamux(frame(1, 2, 1, 0, 0));
			await().until(() -> !client.channel.isActive());
			await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().closed()))
				.isEqualTo(plusOne(before, RejectReason.MALFORMED)));
			assertThat(client.goAways).containsExactly(new YamuxGoAway(1));
			assertThat(session.isOpen()).isFalse();
		}
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void dataBeyondTheStreamWindowShouldCloseTheSessionWithWindowExceeded() {
		try (Libp2pClient client = startAndDial(Upgrader.YAMUX)) {
			LoopbackNodes.awaitConnection(this.a, this.k);
			Map<String, Long> before = this.a.network.counters().closed();
			int window = 256 * 1024;
			// Open stream 1, then one byte more than its initial window in one Data frame.
			client.writeBelowYamux(frame(0, 1, 1, 1, 0));
			ByteBuffer data = ByteBuffer.allocate(12 + window + 1).put(frame(0, 0, 0, 1, window + 1));
			client.writeBelowYamux(data.array());
			await().until(() -> !client.channel.isActive());
			await().untilAsserted(() -> assertThat(ignoringPairing(this.a.network.counters().closed()))
				.isEqualTo(plusOne(before, RejectReason.WINDOW_EXCEEDED)));
			assertThat(client.goAways).containsExactly(new YamuxGoAway(1));
		}
		assertUnaffected(this.pair, this.a, this.b);
	}

	@Test
	void streamForAnUnknownProtocolShouldGetNaAndTheConnectionShouldStay() {
		try (Libp2pClient client = startAndDial(Upgrader.YAMUX)) {
			Connection session = LoopbackNodes.awaitConnection(this.a, this.k);
			Map<String, Long> closedBefore = this.a.network.counters().closed();
			RecordedStream stream = client.openStream();
			stream.write(concat(HEADER, RawPeer.mss("/unknown/1.0.0")));
			byte[] refused = concat(HEADER, RawPeer.mss("na"));
			await().untilAsserted(() -> assertThat(stream.received()).isEqualTo(refused));
			// The same stream may propose another protocol, and lazily send its data with it.
			stream.write(concat(RawPeer.mss("/test/x"), "hello".getBytes(StandardCharsets.UTF_8)));
			stream.stream.closeWrite();
			await().untilAsserted(() -> assertThat(this.a.dispatcher.messages).contains("/test/x hello"));
			assertThat(stream.received()).startsWith(refused).endsWith(RawPeer.mss("/test/x"));
			assertThat(this.a.network.connection(this.k.publicKeyBase64())).isSameAs(session);
			assertThat(session.isOpen()).isTrue();
			assertThat(client.channel.isActive()).isTrue();
			assertThat(ignoringPairing(this.a.network.counters().closed())).isEqualTo(ignoringPairing(closedBefore));
		}
		assertUnaffected(this.pair, this.a, this.b);
	}

	/** A yamux header: version, type, flags, stream id, length. */
	private static byte[] frame(int version, int type, int flags, int streamId, long length) {
		return ByteBuffer.allocate(12)
			.put((byte) version)
			.put((byte) type)
			.putShort((short) flags)
			.putInt(streamId)
			.putInt((int) length)
			.array();
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
