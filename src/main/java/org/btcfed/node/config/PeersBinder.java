package org.btcfed.node.config;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds peers.yaml ({@code peers: [{public_key, addresses}]}): every entry is checked, duplicate
 * keys and addresses are reported, an address that names a peer ({@code /p2p/<peer id>}) must
 * name the one whose key it is listed with, and each value's location is kept for later errors.
 */
final class PeersBinder {

	static final String FILE = "peers.yaml";

	private static final List<String> TOP_KEYS = List.of("peers");

	private static final List<String> ENTRY_KEYS = List.of("addresses", "public_key");

	private final YamlTree tree;

	private final Map<String, SourceLocation> locations = new HashMap<>();

	PeersBinder(List<ConfigError> errors) {
		this.tree = new YamlTree(FILE, errors);
	}

	/**
	 * The bound peers, where each was written (keys {@code peers[<public key>]...}), and their
	 * flat view with its digest, computed once per peers.yaml content rather than per reload.
	 */
	record Bound(List<Peer> peers, Map<String, SourceLocation> locations, SortedMap<String, String> flat,
			byte[] digest) {

		static Bound of(List<Peer> peers, Map<String, SourceLocation> locations) {
			SortedMap<String, String> flat = ConfigSnapshot.flattenPeers(peers);
			return new Bound(List.copyOf(peers), Map.copyOf(locations), flat, ConfigSnapshot.digest(flat));
		}

	}

	Bound bind(Node root) {
		List<Peer> peers = new ArrayList<>();
		MappingNode mapping = this.tree.mapping(root, null);
		if (mapping != null) {
			for (YamlTree.Entry entry : this.tree.entries(mapping, "")) {
				if (!"peers".equals(entry.name())) {
					this.tree.error(entry.keyNode(), entry.name(), Suggestions.unknownKeyMessage(entry.name(), TOP_KEYS));
				}
				else if (!YamlTree.isNull(entry.valueNode())) {
					bindList(entry.valueNode(), peers);
				}
			}
		}
		return Bound.of(peers, this.locations);
	}

	private void bindList(Node node, List<Peer> peers) {
		List<Node> elements = this.tree.sequence(node, "peers");
		if (elements == null) {
			return;
		}
		Map<String, Integer> seen = new HashMap<>();
		for (int i = 0; i < elements.size(); i++) {
			Peer peer = bindPeer(elements.get(i), "peers[" + i + "]");
			if (peer == null) {
				continue;
			}
			Integer first = seen.putIfAbsent(peer.publicKey(), i);
			if (first != null) {
				this.tree.error(elements.get(i), "peers[" + i + "].public_key",
						"duplicate peer: the same public key is listed at peers[" + first + "]");
				continue;
			}
			this.locations.put(keyOf(peer.publicKey()), this.tree.locate(elements.get(i)));
			peers.add(peer);
		}
	}

	/** The diff and property key of a peer: peers are identified by public key, not position. */
	static String keyOf(String publicKey) {
		return "peers[" + publicKey + "]";
	}

	private @Nullable Peer bindPeer(Node node, String key) {
		MappingNode mapping = this.tree.mapping(node, key);
		if (mapping == null) {
			return null;
		}
		String publicKey = null;
		List<Multiaddr> addresses = new ArrayList<>();
		List<Node> addressNodes = new ArrayList<>();
		boolean valid = true;
		boolean hasKey = false;
		for (YamlTree.Entry entry : this.tree.entries(mapping, key)) {
			String entryKey = key + "." + entry.name();
			if ("public_key".equals(entry.name())) {
				hasKey = true;
				publicKey = bindPublicKey(entry.valueNode(), entryKey);
				valid &= (publicKey != null);
			}
			else if ("addresses".equals(entry.name())) {
				valid &= bindAddresses(entry.valueNode(), entryKey, addresses, addressNodes);
			}
			else {
				this.tree.error(entry.keyNode(), entryKey, Suggestions.unknownKeyMessage(entry.name(), ENTRY_KEYS));
				valid = false;
			}
		}
		if (!hasKey) {
			this.tree.error(node, key + ".public_key", "is required: every peer is identified by its public key");
		}
		if (valid && addresses.isEmpty()) {
			this.tree.error(node, key + ".addresses",
					"must list at least one address: a peer without one can never be dialled");
			valid = false;
		}
		if (valid && publicKey != null) {
			valid = checkPeerIds(publicKey, addresses, addressNodes, key + ".addresses");
		}
		return (valid && publicKey != null) ? new Peer(publicKey, addresses) : null;
	}

	/** An address's {@code /p2p/<peer id>}, when it has one, must be the id of the peer's own key. */
	private boolean checkPeerIds(String publicKey, List<Multiaddr> addresses, List<Node> nodes, String key) {
		PeerId expected = PeerId.of(Base64.getDecoder().decode(publicKey));
		boolean valid = true;
		for (int i = 0; i < addresses.size(); i++) {
			PeerId named = addresses.get(i).peerId();
			if (named != null && !named.equals(expected)) {
				this.tree.error(nodes.get(i), key + "[" + i + "]", "names peer " + named + " in /p2p/, but this peer's"
						+ " public_key is peer " + expected + "; an address may only name the peer it belongs to");
				valid = false;
			}
		}
		return valid;
	}

	private @Nullable String bindPublicKey(Node node, String key) {
		String text = YamlTree.isNull(node) ? null : this.tree.scalar(node, key);
		if (text == null) {
			if (YamlTree.isNull(node)) {
				this.tree.error(node, key, "must not be empty");
			}
			return null;
		}
		try {
			// Canonical form: the decoder also accepts unpadded text and non-zero trailing bits, and
			// peers are compared by this string (duplicates, the node's own key, diff keys).
			return Base64.getEncoder().encodeToString(NodeKey.parsePublicKey(text.trim()));
		}
		catch (IllegalArgumentException ex) {
			this.tree.error(node, key, ex.getMessage());
			return null;
		}
	}

	private boolean bindAddresses(Node node, String key, List<Multiaddr> addresses, List<Node> addressNodes) {
		if (YamlTree.isNull(node)) {
			return true;
		}
		List<Node> elements = this.tree.sequence(node, key);
		if (elements == null) {
			return false;
		}
		boolean valid = true;
		for (int i = 0; i < elements.size(); i++) {
			String elementKey = key + "[" + i + "]";
			String text = this.tree.scalar(elements.get(i), elementKey);
			if (text == null) {
				valid = false;
				continue;
			}
			try {
				Multiaddr address = Multiaddr.parse(text.trim());
				if (address.port() == 0) {
					throw new IllegalArgumentException("a peer address needs a port other than 0, was '" + text + "'");
				}
				addresses.add(address);
				addressNodes.add(elements.get(i));
			}
			catch (IllegalArgumentException ex) {
				this.tree.error(elements.get(i), elementKey, ex.getMessage());
				valid = false;
			}
		}
		return valid;
	}

}
