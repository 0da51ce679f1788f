package org.btcfed.node.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.trigger.SignalGate;
import org.springframework.context.annotation.DependsOn;
import org.springframework.stereotype.Component;

/**
 * The federation's peers, from peers.yaml (and {@code peers.connection_timeout} from conf.yaml).
 * On reload, added peers are dialled, removed peers are disconnected (revocation, by design),
 * changed addresses are used from the next dial, and connections of unchanged peers are not
 * touched. Updated after the network manager, so that new listeners exist before new peers are
 * dialled.
 * <p>
 * {@link #write} saves a new peer list the way operators' tools should: atomically and with
 * reload signals masked, so that no reload ever reads a half-written file.
 */
@Component
@DependsOn("networkManager")
public class PeerStore implements HotReloadable {

	private final NetworkManager network;

	private final SignalGate signals;

	private final Path peersFile;

	private final AtomicReference<List<Peer>> peers;

	/**
	 * @param startupConfig the configuration the node started with
	 * @param network the network manager, told of every change
	 * @param signals masks reload signals while peers.yaml is written
	 * @param properties where peers.yaml is
	 */
	public PeerStore(ConfigSnapshot startupConfig, NetworkManager network, SignalGate signals,
			NodeProperties properties) {
		this.network = network;
		this.signals = signals;
		this.peersFile = properties.getConfigDir().resolve(ConfigLoader.PEERS_FILE);
		this.peers = new AtomicReference<>(startupConfig.peers());
	}

	@Override
	public String name() {
		return "peers";
	}

	@Override
	public Set<String> ownedKeys() {
		return Set.of("peers");
	}

	/** Reads pause while peers are admitted or revoked, like for the other network components. */
	@Override
	public Isolation isolate() {
		return this.network.isolate();
	}

	@Override
	public void apply(ComponentUpdate update) {
		ConfigSnapshot target = update.target();
		this.network.updatePeers(target.peers(), target.config().peers().connectionTimeout());
		this.peers.set(target.peers());
	}

	/**
	 * @return the configured peers
	 */
	public List<Peer> peers() {
		return this.peers.get();
	}

	/**
	 * @return how many configured peers have an open connection
	 */
	public long connectedPeers() {
		return peers().stream().filter(peer -> this.network.connection(peer.publicKey()) != null).count();
	}

	/**
	 * Writes peers.yaml atomically (temp file, fsync, rename) with reload signals masked. The
	 * running node picks the change up on the next reload, like any edit.
	 * @param peers the new peer list
	 * @throws IOException when the file cannot be written; it is then unchanged
	 */
	public void write(List<Peer> peers) throws IOException {
		StringBuilder yaml = new StringBuilder("# Written by btcfed-node. Federation members, by Ed25519 public key.\n");
		if (peers.isEmpty()) {
			yaml.append("peers: []\n");
		}
		else {
			yaml.append("peers:\n");
			for (Peer peer : peers) {
				yaml.append("  - public_key: \"").append(peer.publicKey()).append("\"\n");
				yaml.append("    addresses:").append(peer.addresses().isEmpty() ? " []\n" : "\n");
				peer.addresses().forEach(address -> yaml.append("      - ").append(address).append('\n'));
			}
		}
		try (SignalGate.Mask mask = this.signals.mask()) {
			AtomicFiles.write(this.peersFile, yaml.toString().getBytes(StandardCharsets.UTF_8));
		}
	}

}
