package org.btcfed.node.protocol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ProtocolStream;
import org.btcfed.node.network.ProtocolStreamHandler;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The protocol handlers by protocol id, and the {@code protocol.*} settings they read. Inbound
 * streams of a protocol no handler serves are refused ({@code na}) and counted. A reload swaps
 * the settings reference while reads are paused, so every message is handled entirely with
 * either the old or the new settings.
 */
@Component
public class ProtocolRegistry implements HotReloadable, ProtocolDispatcher {

	private static final Log logger = LogFactory.getLog(ProtocolRegistry.class);

	private final Map<String, ProtocolHandler> handlers = new TreeMap<>();

	private final AtomicReference<ProtocolSettings> settings;

	private final ReadGate gate;

	private final LongAdder unknown = new LongAdder();

	private final List<ProtocolHandler> distinct;

	/** How long a lowered {@code protocol.max_message_size} still reads messages up to the old one. */
	static final long GRACE_SECONDS = 30;

	private volatile @Nullable Lowered lowered;

	/**
	 * @param startupConfig the configuration the node started with
	 * @param handlers the protocol handlers
	 * @param gate pauses reads while the settings change
	 */
	public ProtocolRegistry(ConfigSnapshot startupConfig, List<ProtocolHandler> handlers, ReadGate gate) {
		for (ProtocolHandler handler : handlers) {
			for (String protocol : handler.protocols()) {
				if (this.handlers.put(protocol, handler) != null) {
					throw new IllegalStateException("Two protocol handlers serve '" + protocol + "'");
				}
			}
		}
		this.distinct = List.copyOf(new LinkedHashSet<>(handlers));
		this.settings = new AtomicReference<>(startupConfig.config().protocol());
		this.gate = gate;
		logger.info("Protocols: " + this.handlers.keySet());
	}

	@Override
	public String name() {
		return "protocol";
	}

	@Override
	public Set<String> ownedKeys() {
		return Set.of("protocol");
	}

	@Override
	public Isolation isolate() {
		return this.gate.pause();
	}

	@Override
	public void apply(ComponentUpdate update) {
		ProtocolSettings next = update.target().config().protocol();
		ProtocolSettings before = this.settings.getAndSet(next);
		this.lowered = new Lowered(before.maxMessageSize().toBytes(), System.nanoTime());
	}

	/**
	 * The largest message read from a peer: {@code protocol.max_message_size}, or for
	 * {@value #GRACE_SECONDS} seconds after it was lowered the size before, so that a message a
	 * peer sent just before it knew does not close its connection.
	 * @return the limit in bytes
	 */
	public int inboundLimit() {
		long current = this.settings.get().maxMessageSize().toBytes();
		Lowered last = this.lowered;
		boolean inGrace = last != null && System.nanoTime() - last.atNanos() < TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
		return (int) (inGrace ? Math.max(current, last.bytes()) : current);
	}

	/** The limit before the last change, and when it changed. */
	private record Lowered(long bytes, long atNanos) {
	}

	/**
	 * @return the settings in force
	 */
	public ProtocolSettings settings() {
		return this.settings.get();
	}

	/**
	 * @return the protocol ids served, as identify lists them
	 */
	public Set<String> protocols() {
		return this.handlers.keySet();
	}

	/**
	 * @return inbound streams refused because no handler serves their protocol
	 */
	public long unknownMessages() {
		return this.unknown.sum();
	}

	@Override
	public void connected(Connection connection) {
		ProtocolSettings current = this.settings.get();
		this.distinct.forEach(handler -> handler.connected(connection, current));
	}

	@Override
	public boolean supports(String protocol) {
		if (this.handlers.containsKey(protocol)) {
			return true;
		}
		// A newer peer may speak protocols this node does not: answered na, not disconnected.
		this.unknown.increment();
		return false;
	}

	@Override
	public @Nullable ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream) {
		ProtocolHandler handler = this.handlers.get(stream.protocol());
		return (handler != null) ? handler.inbound(connection, stream, this.settings.get()) : null;
	}

	@Override
	public void disconnected(Connection connection) {
		this.distinct.forEach(handler -> handler.disconnected(connection));
	}

	@Override
	public void listenAddressesChanged(List<Multiaddr> addresses) {
		this.distinct.forEach(handler -> handler.listenAddressesChanged(addresses));
	}

}
