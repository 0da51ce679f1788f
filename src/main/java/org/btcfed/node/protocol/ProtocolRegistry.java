package org.btcfed.node.protocol;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.springframework.stereotype.Component;

/**
 * The protocol handlers by id, and the {@code protocol.*} settings they read. A reload swaps the
 * settings reference while reads are paused, so every message is handled entirely with either
 * the old or the new settings, and sets the network's frame limit to the new message size.
 */
@Component
public class ProtocolRegistry implements HotReloadable, ProtocolDispatcher {

	private static final Log logger = LogFactory.getLog(ProtocolRegistry.class);

	private final Map<String, ProtocolHandler> handlers = new TreeMap<>();

	private final AtomicReference<ProtocolSettings> settings;

	private final NetworkManager network;

	private final ReadGate gate;

	private final LongAdder unknown = new LongAdder();

	/**
	 * @param startupConfig the configuration the node started with
	 * @param handlers the protocol handlers
	 * @param network told of the largest message size
	 * @param gate pauses reads while the settings change
	 */
	public ProtocolRegistry(ConfigSnapshot startupConfig, List<ProtocolHandler> handlers, NetworkManager network,
			ReadGate gate) {
		for (ProtocolHandler handler : handlers) {
			if (this.handlers.put(handler.id(), handler) != null) {
				throw new IllegalStateException("Two protocol handlers have the id '" + handler.id() + "'");
			}
		}
		this.settings = new AtomicReference<>(startupConfig.config().protocol());
		this.network = network;
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
		this.network.setMaxMessageSize((int) next.maxMessageSize().toBytes());
		this.settings.set(next);
	}

	/**
	 * @return the settings in force
	 */
	public ProtocolSettings settings() {
		return this.settings.get();
	}

	/**
	 * @return the registered protocol ids
	 */
	public Set<String> protocols() {
		return this.handlers.keySet();
	}

	/**
	 * @return messages received for protocols this node does not know (ignored)
	 */
	public long unknownMessages() {
		return this.unknown.sum();
	}

	@Override
	public void connected(Connection connection) {
		ProtocolSettings current = this.settings.get();
		this.handlers.values().forEach(handler -> handler.connected(connection, current));
	}

	@Override
	public void message(Connection connection, String protocol, byte[] payload) {
		ProtocolHandler handler = this.handlers.get(protocol);
		if (handler == null) {
			// A newer peer may speak protocols this node does not: ignore, do not disconnect.
			this.unknown.increment();
			return;
		}
		handler.message(connection, payload, this.settings.get());
	}

	@Override
	public void disconnected(Connection connection) {
		this.handlers.values().forEach(handler -> handler.disconnected(connection));
	}

}
