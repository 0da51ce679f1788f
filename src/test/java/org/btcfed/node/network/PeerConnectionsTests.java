package org.btcfed.node.network;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.network.yamux.YamuxConfig;
import org.btcfed.node.network.yamux.YamuxSession;
import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one-connection-per-peer rule and the counters, with connections on
 * {@link EmbeddedChannel}s (open until closed).
 */
class PeerConnectionsTests {

	private final PeerConnections connections = new PeerConnections(Clock.systemDefaultZone());

	private final List<EmbeddedChannel> channels = new ArrayList<>();

	private final NodeKey own = NodeKey.generate();

	private final String peer = NodeKey.generate().publicKeyBase64();

	@AfterEach
	void tearDown() {
		this.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
	}

	@Test
	void registerWhenBothNodesDialledAtOnceShouldKeepOnBothSidesTheConnectionOpenedByTheSmallerKey() {
		NodeKey[] keys = { NodeKey.generate(), NodeKey.generate() };
		Arrays.sort(keys, (x, y) -> Arrays.compareUnsigned(x.publicKey(), y.publicKey()));
		NodeKey small = keys[0];
		NodeKey large = keys[1];
		// The same two TCP connections seen from each end, registered in either order.
		for (boolean outboundFirst : new boolean[] { true, false }) {
			assertThat(keptAfterSimultaneousDials(small, large, outboundFirst)).isEqualTo("opened-by-small");
			assertThat(keptAfterSimultaneousDials(large, small, outboundFirst)).isEqualTo("opened-by-small");
		}
	}

	/** Registers with no connection limit. @return the connection the duplicate rule closes, or null */
	private static Connection loser(PeerConnections view, Connection connection, byte[] ownKey) {
		PeerConnections.Registration registration = view.register(connection, ownKey, Integer.MAX_VALUE);
		return registration.accepted() ? registration.displaced() : connection;
	}

	/**
	 * One node's view: its own dial (OUTBOUND) and the peer's dial (INBOUND) both authenticate.
	 * @return the id of the connection left registered, named after who opened it
	 */
	private String keptAfterSimultaneousDials(NodeKey node, NodeKey other, boolean outboundFirst) {
		PeerConnections view = new PeerConnections(Clock.systemDefaultZone());
		boolean nodeIsSmaller = Arrays.compareUnsigned(node.publicKey(), other.publicKey()) < 0;
		Connection outbound = connection(nodeIsSmaller ? "opened-by-small" : "opened-by-large",
				other.publicKeyBase64(), Direction.OUTBOUND);
		Connection inbound = connection(nodeIsSmaller ? "opened-by-large" : "opened-by-small",
				other.publicKeyBase64(), Direction.INBOUND);
		Connection first = outboundFirst ? outbound : inbound;
		Connection second = outboundFirst ? inbound : outbound;
		assertThat(loser(view, first, node.publicKey())).isNull();
		Connection loser = loser(view, second, node.publicKey());
		Connection kept = view.get(other.publicKeyBase64());
		assertThat(loser).isNotNull().isNotSameAs(kept).isIn(first, second);
		assertThat(kept).isIn(first, second);
		assertThat(view.size()).isEqualTo(1);
		assertThat(view.admitted()).isEqualTo((kept == second) ? 2 : 1);
		return kept.id();
	}

	@Test
	void registerWithinLimitShouldRefuseANewPeerAndAKnownPeersSecondConnection() {
		PeerConnections registry = new PeerConnections(Clock.systemDefaultZone());
		byte[] own = NodeKey.generate().publicKey();
		String a = NodeKey.generate().publicKeyBase64();
		String b = NodeKey.generate().publicKeyBase64();
		assertThat(registry.register(connection("c-1", a, Direction.INBOUND), own, 1).accepted()).isTrue();
		PeerConnections.Registration refused = registry.register(connection("c-2", b, Direction.INBOUND), own, 1);
		assertThat(refused.accepted()).isFalse();
		assertThat(refused.limitReached()).isTrue();
		PeerConnections.Registration duplicate = registry.register(connection("c-3", a, Direction.INBOUND), own, 1);
		assertThat(duplicate.accepted()).isFalse();
		assertThat(duplicate.limitReached()).isFalse();
		assertThat(registry.get(a)).extracting(Connection::id).isEqualTo("c-1");
		assertThat(registry.size()).isEqualTo(1);
	}

	@Test
	void registerShouldCompareKeysAsUnsignedBytes() {
		byte[] ownKey = new byte[32];
		byte[] peerKey = new byte[32];
		ownKey[0] = 0x7f;
		peerKey[0] = (byte) 0x80;
		String encodedPeer = Base64.getEncoder().encodeToString(peerKey);
		Connection outbound = connection("c-1", encodedPeer, Direction.OUTBOUND);
		Connection inbound = connection("c-2", encodedPeer, Direction.INBOUND);
		loser(this.connections, outbound, ownKey);
		// 0x7f < 0x80 unsigned (signed, 0x80 would be negative): this node is the smaller one.
		assertThat(loser(this.connections, inbound, ownKey)).isSameAs(inbound);
		assertThat(this.connections.get(encodedPeer)).isSameAs(outbound);
	}

	@Test
	void registerWhenSameDirectionDuplicateArrivesShouldKeepTheOldest() {
		for (Direction direction : Direction.values()) {
			PeerConnections view = new PeerConnections(Clock.systemDefaultZone());
			Connection older = connection("older", this.peer, direction);
			Connection newer = connection("newer", this.peer, direction);
			assertThat(loser(view, older, this.own.publicKey())).isNull();
			assertThat(loser(view, newer, this.own.publicKey())).isSameAs(newer);
			assertThat(view.get(this.peer)).isSameAs(older);
			assertThat(view.admitted()).isEqualTo(1);
		}
	}

	@Test
	void registerWhenAnOppositeDuplicateArrivesLongAfterShouldKeepTheOldestWhateverTheKeys() {
		for (boolean nodeIsSmaller : new boolean[] { true, false }) {
			NodeKey[] keys = LoopbackNodes.sortedKeys();
			NodeKey node = nodeIsSmaller ? keys[0] : keys[1];
			NodeKey other = nodeIsSmaller ? keys[1] : keys[0];
			Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMillis(PeerConnections.SIMULTANEOUS_MILLIS + 500));
			PeerConnections view = new PeerConnections(later);
			Connection oldest = connection("oldest", other.publicKeyBase64(), Direction.OUTBOUND);
			Connection late = connection("late", other.publicKeyBase64(), Direction.INBOUND);
			assertThat(loser(view, oldest, node.publicKey())).isNull();
			assertThat(loser(view, late, node.publicKey())).isSameAs(late);
			assertThat(view.get(other.publicKeyBase64())).isSameAs(oldest);
		}
	}

	@Test
	void registerWhenExistingConnectionIsClosedShouldReplaceItWithoutALoser() {
		Connection closed = connection("c-1", this.peer, Direction.OUTBOUND);
		Connection next = connection("c-2", this.peer, Direction.INBOUND);
		loser(this.connections, closed, this.own.publicKey());
		closed.close(RejectReason.CLOSED_BY_PEER);
		assertThat(loser(this.connections, next, this.own.publicKey())).isNull();
		assertThat(this.connections.get(this.peer)).isSameAs(next);
	}

	@Test
	void registerShouldKeepOneConnectionPerPeer() {
		String other = NodeKey.generate().publicKeyBase64();
		Connection toPeer = connection("c-1", this.peer, Direction.OUTBOUND);
		Connection toOther = connection("c-2", other, Direction.INBOUND);
		assertThat(loser(this.connections, toPeer, this.own.publicKey())).isNull();
		assertThat(loser(this.connections, toOther, this.own.publicKey())).isNull();
		assertThat(this.connections.size()).isEqualTo(2);
		assertThat(this.connections.all()).containsExactlyInAnyOrder(toPeer, toOther);
		assertThat(this.connections.get(other)).isSameAs(toOther);
	}

	@Test
	void unregisterShouldForgetOnlyTheRegisteredConnection() {
		Connection older = connection("c-1", this.peer, Direction.INBOUND);
		Connection newer = connection("c-2", this.peer, Direction.INBOUND);
		loser(this.connections, older, this.own.publicKey());
		loser(this.connections, newer, this.own.publicKey());
		this.connections.unregister(newer);
		assertThat(this.connections.get(this.peer)).isSameAs(older);
		this.connections.unregister(older);
		assertThat(this.connections.get(this.peer)).isNull();
		assertThat(this.connections.size()).isZero();
	}

	@Test
	void countersShouldCountAdmittedRejectedAndClosedByReason() {
		Connection connection = connection("c-1", this.peer, Direction.OUTBOUND);
		loser(this.connections, connection, this.own.publicKey());
		this.connections.countRejected(RejectReason.UNKNOWN_PEER, "INBOUND /127.0.0.1:5000", "not in peers.yaml");
		this.connections.countRejected(RejectReason.UNKNOWN_PEER, "INBOUND /127.0.0.1:5001", "not in peers.yaml");
		this.connections.countRejected(RejectReason.MALFORMED, "INBOUND /127.0.0.1:5002", "garbage");
		this.connections.countClosed(connection, RejectReason.REVOKED, null);
		assertThat(this.connections.admitted()).isEqualTo(1);
		assertThat(this.connections.rejectedByReason()).containsExactly(Map.entry("MALFORMED", 1L),
				Map.entry("UNKNOWN_PEER", 2L));
		assertThat(this.connections.closedByReason()).containsExactly(Map.entry("REVOKED", 1L));
	}

	@Test
	void countUnknownPeerWhenThePeerRedialsShouldLogOnceAnHourWithTheCountAndCountEveryRejection() {
		LogThrottleTests.TestClock clock = new LogThrottleTests.TestClock(Instant.parse("2026-11-24T10:02:11Z"));
		PeerConnections registry = new PeerConnections(clock);
		String stranger = NodeKey.generate().publicKeyBase64();
		String detail = "key " + stranger + " is not in peers.yaml";
		ListAppender<ILoggingEvent> log = capture();
		try {
			for (int port = 50000; port < 50038; port++) {
				registry.countUnknownPeer("INBOUND /127.0.0.1:" + port, stranger, "127.0.0.1", detail);
				clock.advance(Duration.ofSeconds(10));
			}
			registry.countUnknownPeer("INBOUND /127.0.0.2:50000", stranger, "127.0.0.2", detail);
			clock.set(Instant.parse("2026-11-24T11:02:11Z"));
			registry.countUnknownPeer("INBOUND /127.0.0.1:50100", stranger, "127.0.0.1", detail);
			registry.countUnknownPeer("INBOUND /127.0.0.1:50101", stranger, "127.0.0.1", detail);
		}
		finally {
			release(log);
		}
		assertThat(registry.rejectedByReason()).containsExactly(Map.entry("UNKNOWN_PEER", 41L));
		assertThat(log.list).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("Rejected connection INBOUND /127.0.0.1:50000: UNKNOWN_PEER (" + detail
					+ "; add the key to peers.yaml if this peer should be admitted"
					+ "; repeats from this key and host are logged once an hour)",
					"Rejected connection INBOUND /127.0.0.2:50000: UNKNOWN_PEER (" + detail
							+ "; add the key to peers.yaml if this peer should be admitted"
							+ "; repeats from this key and host are logged once an hour)",
					"Rejected connection INBOUND /127.0.0.1:50100: UNKNOWN_PEER (" + detail
							+ "; add the key to peers.yaml if this peer should be admitted"
							+ "; repeats from this key and host are logged once an hour) (37 more since 10:02:11)");
	}

	@Test
	void countRejectedForOtherReasonsShouldLogEveryRejection() {
		ListAppender<ILoggingEvent> log = capture();
		try {
			this.connections.countRejected(RejectReason.MALFORMED, "INBOUND /127.0.0.1:5000", "garbage");
			this.connections.countRejected(RejectReason.MALFORMED, "INBOUND /127.0.0.1:5000", "garbage");
		}
		finally {
			release(log);
		}
		assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
			.containsExactly("Rejected connection INBOUND /127.0.0.1:5000: MALFORMED (garbage)",
					"Rejected connection INBOUND /127.0.0.1:5000: MALFORMED (garbage)");
	}

	/**
	 * Records what {@link PeerConnections} logs at info and above, whatever level an earlier test
	 * in this JVM left, until {@link #release}.
	 */
	static ListAppender<ILoggingEvent> capture() {
		Logger logger = (Logger) LoggerFactory.getLogger(PeerConnections.class);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		// Appended to from event loops, read by the test.
		appender.list = new CopyOnWriteArrayList<>();
		appender.setContext(logger.getLoggerContext());
		appender.start();
		logger.setLevel(Level.INFO);
		logger.addAppender(appender);
		return appender;
	}

	static void release(ListAppender<ILoggingEvent> appender) {
		Logger logger = (Logger) LoggerFactory.getLogger(PeerConnections.class);
		logger.detachAppender(appender);
		logger.setLevel(null);
		appender.stop();
	}

	@Test
	void nextIdShouldNeverRepeat() {
		assertThat(List.of(this.connections.nextId(), this.connections.nextId(), this.connections.nextId()))
			.containsExactly("c-1", "c-2", "c-3");
	}

	private Connection connection(String id, String peerKey, Direction direction) {
		EmbeddedChannel channel = new EmbeddedChannel();
		this.channels.add(channel);
		return new Connection(id, peerKey, direction, Multiaddr.parse("/ip4/127.0.0.1/tcp/40000"), channel,
				new YamuxSession(false, YamuxConfig.defaults(), stream -> null));
	}

}
