package org.btcfed.node.protocol;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.ProtocolStream;
import org.btcfed.node.network.ProtocolStreamHandler;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.network.RejectReason;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * libp2p ping, {@value #ID}: answers every peer's pings (32 bytes, echoed verbatim, many per
 * stream or one stream each), and keeps each session alive with its own: every
 * {@code protocol.ping_interval} it sends 32 random bytes on one stream per connection, and a
 * session that has not echoed for three intervals is closed as idle (its peer is dialled again).
 * A pause of reads during a reload does not count as silence. The interval is read afresh for
 * every ping, so a change applies from the next one.
 */
@Component
public class PingProtocol implements ProtocolHandler, DisposableBean {

	/** Protocol id. */
	public static final String ID = "/ipfs/ping/1.0.0";

	static final int PING_LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(daemon("btcfed-ping-"));

	private final Map<String, Pinger> pingers = new ConcurrentHashMap<>();

	private final ObjectProvider<ProtocolRegistry> registry;

	private final ReadGate gate;

	/**
	 * @param registry where the settings in force are read (looked up lazily: it holds this handler)
	 * @param gate tells when reads last resumed
	 */
	public PingProtocol(ObjectProvider<ProtocolRegistry> registry, ReadGate gate) {
		this.registry = registry;
		this.gate = gate;
	}

	private static CustomizableThreadFactory daemon(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	@Override
	public Set<String> protocols() {
		return Set.of(ID);
	}

	@Override
	public void connected(Connection connection, ProtocolSettings current) {
		Pinger pinger = new Pinger(connection);
		this.pingers.put(connection.id(), pinger);
		schedule(pinger, current.pingInterval());
	}

	private void schedule(Pinger pinger, Duration interval) {
		this.timer.schedule(() -> tick(pinger, interval), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * @param scheduled the interval this tick was scheduled with: right after
	 * {@code protocol.ping_interval} was lowered, the peer has only been asked at the old pace, so
	 * idleness is judged on the longer of the two, never closing a live connection because of a
	 * reload.
	 */
	private void tick(Pinger pinger, Duration scheduled) {
		Connection connection = pinger.connection;
		if (!connection.isOpen()) {
			this.pingers.remove(connection.id(), pinger);
			return;
		}
		ProtocolSettings current = this.registry.getObject().settings();
		long window = 3 * Math.max(scheduled.toNanos(), current.pingInterval().toNanos());
		long since = Math.max(pinger.lastAnswer, this.gate.resumedAtNanos());
		if (System.nanoTime() - since > window) {
			connection.close(RejectReason.IDLE, "no ping answered for " + Duration.ofNanos(window).toMillis() + " ms");
			return;
		}
		pinger.ping();
		schedule(pinger, current.pingInterval());
	}

	@Override
	public ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream, ProtocolSettings settings) {
		return new Echo();
	}

	@Override
	public void disconnected(Connection connection) {
		this.pingers.remove(connection.id());
	}

	/**
	 * @param connection a connection
	 * @return the round-trip time of its last answered ping, or null before the first answer
	 */
	public @Nullable Duration roundTrip(Connection connection) {
		Pinger pinger = this.pingers.get(connection.id());
		return (pinger != null && pinger.roundTripNanos >= 0) ? Duration.ofNanos(pinger.roundTripNanos) : null;
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

	/** Echoes a remote's pings until it closes its side, then closes ours. */
	private static final class Echo implements ProtocolStreamHandler {

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			stream.write(data.retain());
		}

		@Override
		public void remoteClosed(ProtocolStream stream) {
			stream.closeWrite();
		}

	}

	/** This node's pings on one connection: one stream, reopened if the remote ends it. */
	private static final class Pinger implements ProtocolStreamHandler {

		private final Connection connection;

		private volatile @Nullable ProtocolStream stream;

		private volatile long lastAnswer = System.nanoTime();

		private volatile long roundTripNanos = -1;

		/** The ping awaiting its echo, and when it was sent. */
		private volatile byte @Nullable [] outstanding;

		private volatile long sentAt;

		/** What of an echo came so far; on the event loop. */
		private final byte[] echo = new byte[PING_LENGTH];

		private int echoed;

		Pinger(Connection connection) {
			this.connection = connection;
		}

		void ping() {
			byte[] payload = new byte[PING_LENGTH];
			RANDOM.nextBytes(payload);
			ProtocolStream current = this.stream;
			if (current == null) {
				current = this.connection.openStream(ID, this);
				this.stream = current;
			}
			this.sentAt = System.nanoTime();
			this.outstanding = payload;
			current.write(Unpooled.wrappedBuffer(payload));
		}

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			while (data.isReadable()) {
				int take = Math.min(data.readableBytes(), PING_LENGTH - this.echoed);
				data.readBytes(this.echo, this.echoed, take);
				this.echoed += take;
				if (this.echoed == PING_LENGTH) {
					this.echoed = 0;
					if (Arrays.equals(this.echo, this.outstanding)) {
						long now = System.nanoTime();
						this.roundTripNanos = now - this.sentAt;
						this.lastAnswer = now;
						this.outstanding = null;
					}
				}
			}
		}

		@Override
		public void closed(ProtocolStream stream, @Nullable Throwable cause) {
			if (this.stream == stream) {
				this.stream = null;
			}
			this.echoed = 0;
		}

	}

}
