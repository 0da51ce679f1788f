package org.btcfed.node.protocol;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.RejectReason;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Keepalive: every {@code protocol.ping_interval} each session is pinged; a session that has not
 * answered for three intervals is closed as idle (its peer is dialled again). The interval is
 * read afresh for every ping, so a change applies from the next one.
 */
@Component
public class PingProtocol implements ProtocolHandler, DisposableBean {

	/** Protocol id. */
	public static final String ID = "ping";

	private static final byte PING = 0;

	private static final byte PONG = 1;

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(new DefaultThreadFactory("btcfed-ping", true));

	private final Map<String, Long> lastHeard = new ConcurrentHashMap<>();

	private final ObjectProvider<ProtocolRegistry> registry;

	/**
	 * @param registry where the settings in force are read (looked up lazily: it holds this handler)
	 */
	public PingProtocol(ObjectProvider<ProtocolRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public void connected(Connection connection, ProtocolSettings current) {
		this.lastHeard.put(connection.id(), System.nanoTime());
		schedule(connection, current);
	}

	private void schedule(Connection connection, ProtocolSettings current) {
		Duration interval = current.pingInterval();
		this.timer.schedule(() -> tick(connection, interval), interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * @param scheduled the interval this tick was scheduled with: right after
	 * {@code protocol.ping_interval} was lowered, the peer has only been asked at the old pace, so
	 * idleness is judged on the longer of the two, never closing a live connection because of a
	 * reload.
	 */
	private void tick(Connection connection, Duration scheduled) {
		if (!connection.isOpen()) {
			this.lastHeard.remove(connection.id());
			return;
		}
		ProtocolSettings current = this.registry.getObject().settings();
		long window = 3 * Math.max(scheduled.toNanos(), current.pingInterval().toNanos());
		long silentNanos = System.nanoTime() - this.lastHeard.getOrDefault(connection.id(), System.nanoTime());
		if (silentNanos > window) {
			connection.close(RejectReason.IDLE);
			return;
		}
		connection.send(ID, frame(PING, System.nanoTime()));
		schedule(connection, current);
	}

	@Override
	public void message(Connection connection, byte[] payload, ProtocolSettings current) {
		this.lastHeard.put(connection.id(), System.nanoTime());
		if (payload.length == 9 && payload[0] == PING) {
			connection.send(ID, frame(PONG, ByteBuffer.wrap(payload, 1, 8).getLong()));
		}
	}

	@Override
	public void disconnected(Connection connection) {
		this.lastHeard.remove(connection.id());
	}

	private static byte[] frame(byte type, long nonce) {
		return ByteBuffer.allocate(9).put(type).putLong(nonce).array();
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
