package org.btcfed.node.peer;

import org.btcfed.node.network.NetworkManager;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code p2p} health: UP while the node listens on every configured address, with how many of
 * the configured peers are connected (a federation member being away is not the node's fault, so
 * it does not turn the node DOWN).
 */
@Component("p2pHealthIndicator")
public class P2pHealthIndicator implements HealthIndicator {

	private final NetworkManager network;

	private final PeerStore store;

	/**
	 * @param network the listeners and connections
	 * @param store the configured peers
	 */
	public P2pHealthIndicator(NetworkManager network, PeerStore store) {
		this.network = network;
		this.store = store;
	}

	@Override
	public Health health() {
		var listening = this.network.listenAddresses();
		Health.Builder builder = listening.isEmpty() ? Health.down() : Health.up();
		long connected = this.store.connectedPeers();
		return builder.withDetail("listening", listening.stream().map(Object::toString).toList())
			.withDetail("peersConnected", connected)
			.withDetail("peersConfigured", this.store.peers().size())
			.build();
	}

}
