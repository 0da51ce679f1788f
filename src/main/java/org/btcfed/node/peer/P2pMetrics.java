package org.btcfed.node.peer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.network.RejectReason;
import org.springframework.stereotype.Component;

/**
 * P2P metrics, read from the network manager when scraped (nothing is counted twice):
 * <ul>
 * <li>{@code btcfed_p2p_connections{state="authenticated"|"handshaking"}}</li>
 * <li>{@code btcfed_p2p_admitted_total}, {@code btcfed_p2p_rejected_total{reason}},
 * {@code btcfed_p2p_closed_total{reason}}</li>
 * <li>{@code btcfed_p2p_peers_configured}, {@code btcfed_p2p_peers_connected}</li>
 * </ul>
 */
@Component
public class P2pMetrics implements MeterBinder {

	private final NetworkManager network;

	private final PeerStore store;

	private final ReadGate gate;

	/**
	 * @param network the connections and counters
	 * @param store the configured peers
	 * @param gate knows every open peer channel
	 */
	public P2pMetrics(NetworkManager network, PeerStore store, ReadGate gate) {
		this.network = network;
		this.store = store;
		this.gate = gate;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("btcfed.p2p.connections", this.network, n -> n.connections().size())
			.description("Open peer connections by state")
			.tag("state", "authenticated")
			.strongReference(true)
			.register(registry);
		Gauge.builder("btcfed.p2p.connections", this,
				m -> Math.max(0, m.gate.channelCount() - m.network.connections().size()))
			.description("Open peer connections by state")
			.tag("state", "handshaking")
			.strongReference(true)
			.register(registry);
		FunctionCounter.builder("btcfed.p2p.admitted", this.network, n -> n.counters().admitted())
			.description("Peer connections authenticated and admitted")
			.register(registry);
		for (RejectReason reason : RejectReason.values()) {
			FunctionCounter.builder("btcfed.p2p.rejected", this.network,
					n -> n.counters().rejected().getOrDefault(reason.name(), 0L))
				.description("Peer connections refused, by reason")
				.tag("reason", reason.name())
				.register(registry);
			FunctionCounter.builder("btcfed.p2p.closed", this.network,
					n -> n.counters().closed().getOrDefault(reason.name(), 0L))
				.description("Peer connections closed, by reason")
				.tag("reason", reason.name())
				.register(registry);
		}
		Gauge.builder("btcfed.p2p.peers.configured", this.store, s -> s.peers().size())
			.description("Peers in peers.yaml")
			.strongReference(true)
			.register(registry);
		Gauge.builder("btcfed.p2p.peers.connected", this.store, PeerStore::connectedPeers)
			.description("Peers in peers.yaml with an open connection")
			.strongReference(true)
			.register(registry);
	}

}
