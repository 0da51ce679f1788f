package org.btcfed.node.network;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.network.yamux.YamuxConfig;
import org.btcfed.node.network.yamux.YamuxSession;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.TIMEOUT;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitConnection;
import static org.btcfed.node.network.LoopbackNodes.awaitPaired;
import static org.btcfed.node.network.LoopbackNodes.sortedKeys;
import static org.btcfed.node.network.LoopbackNodes.startPaired;

/**
 * Who may connect: first the {@link Admission} rules on their own (dial targets, revocation,
 * identity, the handshake bound), then the handshake callbacks through running network managers
 * on loopback, talking to each other and to hand-driven sockets.
 */
class AdmissionTests {

	private static final NodeKey OWN = NodeKey.generate();

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final ReadGate gate = new ReadGate();

	private final Dialer dialer = new Dialer(new Bootstrap(), this.group, (peerKey, attempt) -> null);

	private final Admission admission = new Admission(OWN, 2, this.gate, this.dialer,
			new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));

	private final List<EmbeddedChannel> channels = new ArrayList<>();

	@AfterEach
	void tearDown() {
		this.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
		this.dialer.stop();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void dialTargetShouldTakeThePeersAddressesInTurn() {
		Peer peer = peer(NodeKey.generate(), 4001, 4002);
		this.admission.admitOnly(List.of(peer), TIMEOUT);
		assertThat(List.of(0, 1, 2).stream().map(attempt -> this.admission.dialTarget(peer.publicKey(), attempt)))
			.containsExactly(address(4001), address(4002), address(4001));
	}

	@Test
	void dialTargetWhenThePeerIsUnknownHasNoAddressOrIsConnectedShouldBeNull() {
		Peer silent = peer(NodeKey.generate());
		Peer connected = peer(NodeKey.generate(), 4001);
		this.admission.admitOnly(List.of(silent, connected), TIMEOUT);
		register(connected.publicKey());
		assertThat(this.admission.dialTarget(NodeKey.generate().publicKeyBase64(), 0)).isNull();
		assertThat(this.admission.dialTarget(silent.publicKey(), 0)).isNull();
		assertThat(this.admission.dialTarget(connected.publicKey(), 0)).isNull();
	}

	@Test
	void dialTargetWhenMaxConnectionsAreOpenShouldBeNull() {
		Peer waiting = peer(NodeKey.generate(), 4001);
		Peer first = peer(NodeKey.generate(), 4002);
		this.admission.admitOnly(List.of(waiting, first), TIMEOUT);
		this.admission.setMaxConnections(1);
		assertThat(this.admission.dialTarget(waiting.publicKey(), 0)).isEqualTo(address(4001));
		register(first.publicKey());
		assertThat(this.admission.dialTarget(waiting.publicKey(), 0)).isNull();
	}

	@Test
	void admitOnlyShouldAdmitExactlyTheListedPeersAndCloseTheOthersWithRevoked() {
		Peer kept = peer(NodeKey.generate(), 4001);
		Peer removed = peer(NodeKey.generate(), 4002);
		this.admission.admitOnly(List.of(kept, removed), Duration.ofSeconds(5));
		Connection keptConnection = register(kept.publicKey());
		Connection removedConnection = register(removed.publicKey());
		this.admission.admitOnly(List.of(kept), TIMEOUT);
		assertThat(this.admission.admits(kept.publicKey())).isTrue();
		assertThat(this.admission.admits(removed.publicKey())).isFalse();
		assertThat(this.admission.admittedKeys()).containsExactly(kept.publicKey());
		assertThat(this.admission.handshakeTimeoutMillis()).isEqualTo(TIMEOUT.toMillis());
		assertThat(keptConnection.isOpen()).isTrue();
		assertThat(removedConnection.isOpen()).isFalse();
		assertThat(removedConnection.channel().attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.REVOKED);
	}

	@Test
	void setIdentityShouldCloseEverySessionWithKeyRotatedOnlyWhenTheKeyChanges() {
		Peer peer = peer(NodeKey.generate(), 4001);
		this.admission.admitOnly(List.of(peer), TIMEOUT);
		Connection session = register(peer.publicKey());
		this.admission.setIdentity(OWN);
		assertThat(session.isOpen()).isTrue();
		NodeKey rotated = NodeKey.generate();
		this.admission.setIdentity(rotated);
		assertThat(this.admission.identity()).isEqualTo(rotated);
		assertThat(session.isOpen()).isFalse();
		assertThat(session.channel().attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.KEY_ROTATED);
	}

	@Test
	void roomForHandshakeWhenAsManyAreInTheHandshakeAsTheLimitShouldRefuseWithConnectionLimit() {
		NioSocketChannel newcomer = new NioSocketChannel();
		try {
			this.gate.register(channel());
			assertThat(this.admission.roomForHandshake(newcomer)).isTrue();
			this.gate.register(channel());
			assertThat(this.admission.roomForHandshake(newcomer)).isFalse();
			assertThat(newcomer.attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.CONNECTION_LIMIT);
			assertThat(this.admission.connections().rejectedByReason()).containsEntry("CONNECTION_LIMIT", 1L);
		}
		finally {
			newcomer.unsafe().closeForcibly();
		}
	}

	@Test
	void updatePeersWhenPeerIsRemovedShouldCloseItWithRevokedAndReconnectWhenItIsAddedBack() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair before = startPaired(a, b);
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
	void unknownPeerDiallingInShouldBeRejectedWithUnknownPeer() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair before = startPaired(a, b);
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
		Node a = this.nodes.node("a");
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
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair before = startPaired(a, b);
		Map<String, Long> closedBefore = a.network.counters().closed();
		try (RawPeer garbage = RawPeer.connect(a.port)) {
			garbage.readHeader();
			// A multistream message that does not end in a newline.
			garbage.send(new byte[] { 6, '/', 'h', 'e', 'l', 'l', 'o' });
			assertThat(garbage.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("MALFORMED", 1L));
		assertThat(a.network.connections()).containsExactly(before.a());
		assertThat(b.network.connections()).containsExactly(before.b());
		assertThat(a.network.counters().closed()).isEqualTo(closedBefore);
		LoopbackNodes.send(before.b(), "/test/msg", "unaffected");
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).containsExactly("/test/msg unaffected"));
	}

	@Test
	void unauthenticatedClientShouldNotAnnounceAMultistreamMessageOverItsLimit() throws Exception {
		Node a = this.nodes.node("a");
		a.start();
		try (RawPeer client = RawPeer.connect(a.port)) {
			client.readHeader();
			// 2000 bytes announced: multistream-select allows 1024.
			client.send(new byte[] { (byte) 0xd0, 0x0f, '/' });
			assertThat(client.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("OVERSIZED_FRAME", 1L));
	}

	@Test
	void clientSpeakingAnotherProtocolShouldBeRejectedAsMalformed() throws Exception {
		Node a = this.nodes.node("a");
		a.start();
		try (RawPeer http = RawPeer.connect(a.port)) {
			// 'G' reads as a length of 71; the 71st byte is no newline.
			http.send(("GET / HTTP/1.1\r\nHost: node\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n"
					+ "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			assertThat(http.closedByNode()).isTrue();
		}
		await().untilAsserted(() -> assertThat(a.network.counters().rejected()).containsEntry("MALFORMED", 1L));
	}

	@Test
	void clientsStuckInTheHandshakeShouldBeBoundedByMaxConnections() throws Exception {
		Node a = this.nodes.node("a");
		a.start(2, List.of());
		try (RawPeer first = RawPeer.connect(a.port); RawPeer second = RawPeer.connect(a.port)) {
			first.readHeader();
			second.readHeader();
			try (RawPeer third = RawPeer.connect(a.port)) {
				assertThat(third.closedByNode()).isTrue();
			}
			await().untilAsserted(
					() -> assertThat(a.network.counters().rejected()).containsEntry("CONNECTION_LIMIT", 1L));
		}
	}

	private static Peer peer(NodeKey key, int... ports) {
		return new Peer(key.publicKeyBase64(), Arrays.stream(ports).mapToObj(LoopbackNodes::address).toList());
	}

	/** An open session with a peer, registered as if its handshake had just succeeded. */
	private Connection register(String peerKey) {
		Connection connection = new Connection(this.admission.connections().nextId(), peerKey, Direction.INBOUND,
				Multiaddr.parse("/ip4/127.0.0.1/tcp/40000"), channel(),
				new YamuxSession(false, YamuxConfig.defaults(), stream -> null));
		assertThat(this.admission.connections().register(connection, OWN.publicKey(), 16).accepted()).isTrue();
		return connection;
	}

	/** An open channel of its own id (embedded channels share one unless given theirs). */
	private EmbeddedChannel channel() {
		EmbeddedChannel channel = new EmbeddedChannel(DefaultChannelId.newInstance());
		this.channels.add(channel);
		return channel;
	}

}
