package org.btcfed.node.peer;

import java.util.List;

import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkCounters;
import org.btcfed.node.network.NetworkManager;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/peers}: the configured peers (and whether each is connected), every
 * connection with its id, direction, remote address and age, this node's identity and listen
 * addresses, and the connection counters.
 */
@Component
@Endpoint(id = "peers")
public class PeersEndpoint {

	private final PeerStore store;

	private final NetworkManager network;

	/**
	 * @param store the configured peers
	 * @param network the connections
	 */
	public PeersEndpoint(PeerStore store, NetworkManager network) {
		this.store = store;
		this.network = network;
	}

	/**
	 * @return the peers and connections
	 */
	@ReadOperation
	public Peers peers() {
		List<Configured> configured = this.store.peers()
			.stream()
			.map(peer -> new Configured(peer.publicKey(), PeerId.of(NodeKey.parsePublicKey(peer.publicKey())).toString(),
					peer.addresses().stream().map(Multiaddr::toString).toList(),
					this.network.connection(peer.publicKey()) != null))
			.toList();
		List<ConnectionInfo> connections = this.network.connections()
			.stream()
			.map(PeersEndpoint::describe)
			.toList();
		return new Peers(new Node(this.network.publicKey(), this.network.peerId().toString(),
				this.network.listenAddresses().stream().map(Multiaddr::toString).toList()), configured, connections,
				this.network.counters());
	}

	private static ConnectionInfo describe(Connection connection) {
		Connection.Identified identified = connection.identified();
		return new ConnectionInfo(connection.peerKey(), connection.peerId().toString(),
				connection.remoteAddress().toString(), connection.direction().name(), connection.id(),
				connection.connectedSince().toString(), (identified != null) ? identified.agentVersion() : null);
	}

	/**
	 * The endpoint's body.
	 * @param node this node
	 * @param configured peers in peers.yaml
	 * @param connections open connections
	 * @param counters admitted, rejected and closed connections
	 */
	public record Peers(Node node, List<Configured> configured, List<ConnectionInfo> connections,
			NetworkCounters counters) {
	}

	/**
	 * @param publicKey this node's public key
	 * @param peerId its libp2p peer id
	 * @param listening where it listens, as bound
	 */
	public record Node(String publicKey, String peerId, List<String> listening) {
	}

	/**
	 * @param publicKey the peer's key
	 * @param peerId its libp2p peer id
	 * @param addresses where it is dialled
	 * @param connected whether a connection is open
	 */
	public record Configured(String publicKey, String peerId, List<String> addresses, boolean connected) {
	}

	/**
	 * @param publicKey the peer's key
	 * @param peerId its libp2p peer id, as Noise authenticated it
	 * @param remoteAddress its address on this connection
	 * @param direction INBOUND or OUTBOUND
	 * @param connectionId unique for the life of the process
	 * @param connectedSince when the handshake completed
	 * @param agentVersion what the peer runs, as it said in identify (null before that)
	 */
	public record ConnectionInfo(String publicKey, String peerId, String remoteAddress, String direction,
			String connectionId, String connectedSince, @Nullable String agentVersion) {
	}

}
