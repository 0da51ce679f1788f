package org.btcfed.node.network;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The registered connections, one per peer, and the counters of what was admitted, rejected and
 * closed. A second connection to a connected peer is closed and the oldest kept, as
 * btc-federation's go-libp2p connection manager does; but when both sides dialled at once (the
 * two connections opposite ways, the first authenticated less than {@value #SIMULTANEOUS_MILLIS}
 * ms before), both nodes keep the one opened by the node with the smaller public key, so they
 * agree without talking instead of each closing the other's. Every rejection is counted;
 * an {@link RejectReason#UNKNOWN_PEER} is logged once an hour per key and remote host, with the
 * count of those held back. Thread-safe.
 */
final class PeerConnections {

	private static final Log logger = LogFactory.getLog(PeerConnections.class);

	/** Two connections authenticated this close together were dialled at once. */
	static final long SIMULTANEOUS_MILLIS = 1000;

	private final Clock clock;

	private static final Duration UNKNOWN_PEER_LOG_WINDOW = Duration.ofHours(1);

	/** Keys and hosts remembered for that, a few hundred bytes each, whatever remotes send. */
	private static final int UNKNOWN_PEER_LOG_CAPACITY = 1024;

	private final AtomicLong ids = new AtomicLong();

	private final Map<String, Connection> byPeer = new ConcurrentHashMap<>();

	private final LongAdder admitted = new LongAdder();

	private final Map<RejectReason, LongAdder> rejected = new ConcurrentHashMap<>();

	private final Map<RejectReason, LongAdder> closed = new ConcurrentHashMap<>();

	private final LogThrottle unknownPeers;

	/**
	 * @param clock the time of rejections, for logging repeats of an unknown peer once an hour
	 */
	PeerConnections(Clock clock) {
		this.clock = clock;
		this.unknownPeers = new LogThrottle(clock, UNKNOWN_PEER_LOG_WINDOW, UNKNOWN_PEER_LOG_CAPACITY);
	}

	String nextId() {
		return "c-" + this.ids.incrementAndGet();
	}

	/**
	 * Registers an authenticated connection unless the duplicate rule keeps the existing one or,
	 * for a peer not yet connected, {@code limit} connections are open: one step, so that two
	 * handshakes finishing at once cannot both take the last place.
	 */
	synchronized Registration register(Connection connection, byte[] ownKey, int limit) {
		Connection existing = this.byPeer.get(connection.peerKey());
		boolean replacing = existing != null && existing.isOpen();
		if (replacing && !prefer(connection, existing, ownKey)) {
			return new Registration(false, false, null);
		}
		if (!replacing && this.byPeer.size() >= limit) {
			return new Registration(false, true, null);
		}
		this.byPeer.put(connection.peerKey(), connection);
		this.admitted.increment();
		return new Registration(true, false, replacing ? existing : null);
	}

	/**
	 * The outcome of {@link #register(Connection, byte[], int)}.
	 * @param accepted whether the connection is now the peer's
	 * @param limitReached whether it was refused for the connection limit (else, if not accepted,
	 * the duplicate rule kept the other one)
	 * @param displaced the connection it replaced, to be closed, or null
	 */
	record Registration(boolean accepted, boolean limitReached, @Nullable Connection displaced) {
	}

	private boolean prefer(Connection candidate, Connection existing, byte[] ownKey) {
		boolean simultaneous = candidate.direction() != existing.direction()
				&& Duration.between(existing.connectedSince(), this.clock.instant()).toMillis() < SIMULTANEOUS_MILLIS;
		if (!simultaneous) {
			return false;
		}
		byte[] peer = Base64.getDecoder().decode(candidate.peerKey());
		boolean ownIsSmaller = Arrays.compareUnsigned(ownKey, peer) < 0;
		Direction openedBySmaller = ownIsSmaller ? Direction.OUTBOUND : Direction.INBOUND;
		return candidate.direction() == openedBySmaller;
	}

	/** Forgets a closed connection, if it is still the registered one for its peer. */
	void unregister(Connection connection) {
		this.byPeer.remove(connection.peerKey(), connection);
	}

	@Nullable Connection get(String peerKey) {
		return this.byPeer.get(peerKey);
	}

	Collection<Connection> all() {
		return List.copyOf(this.byPeer.values());
	}

	int size() {
		return this.byPeer.size();
	}

	/** Logs and counts a refused connection. */
	void countRejected(RejectReason reason, String who, String detail) {
		logger.warn(rejectedLine(reason, who, detail));
		count(reason);
	}

	/**
	 * Counts a connection refused because its key is not in peers.yaml, and logs it once an hour
	 * per key and remote host: a node that lists this one but is not listed by it redials every
	 * few seconds, forever. The host is without port, as each inbound dial comes from a new one.
	 * @param who the direction and remote address of this connection
	 * @param peerKey the key the peer presented
	 * @param host the remote host
	 * @param detail what was wrong, naming the key
	 */
	void countUnknownPeer(String who, String peerKey, String host, String detail) {
		String repeats = this.unknownPeers.record(List.of(peerKey, host));
		if (repeats != null) {
			logger.warn(rejectedLine(RejectReason.UNKNOWN_PEER, who, detail
					+ "; add the key to peers.yaml if this peer should be admitted"
					+ "; repeats from this key and host are logged once an hour") + repeats);
		}
		count(RejectReason.UNKNOWN_PEER);
	}

	private static String rejectedLine(RejectReason reason, String who, String detail) {
		return "Rejected connection " + who + ": " + reason + " (" + detail + ")";
	}

	/** Counted after the log line, so that whoever reads the count sees the line too. */
	private void count(RejectReason reason) {
		this.rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
	}

	void countClosed(Connection connection, RejectReason reason, @Nullable String detail) {
		this.closed.computeIfAbsent(reason, r -> new LongAdder()).increment();
		logger.info("Connection " + connection + " closed: " + reason + ((detail != null) ? " (" + detail + ")" : ""));
	}

	long admitted() {
		return this.admitted.sum();
	}

	Map<String, Long> rejectedByReason() {
		return snapshot(this.rejected);
	}

	Map<String, Long> closedByReason() {
		return snapshot(this.closed);
	}

	private static Map<String, Long> snapshot(Map<RejectReason, LongAdder> counters) {
		Map<String, Long> result = new TreeMap<>();
		counters.forEach((reason, count) -> result.put(reason.name(), count.sum()));
		return result;
	}

}
