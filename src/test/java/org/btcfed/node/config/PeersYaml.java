package org.btcfed.node.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way tests write a peers.yaml, beside {@link ConfYaml}: peers in the order they were
 * first listed, each with its addresses one a line. Not thread-safe.
 */
public final class PeersYaml {

	private static final Pattern ONE_LINE_PEER = Pattern.compile("^(\\s*)- public_key:\\s*(.*)$");

	/** Addresses by public key. */
	private final Map<String, List<String>> peers = new LinkedHashMap<>();

	private PeersYaml() {
	}

	/**
	 * @return a builder of a peers.yaml that lists no peer
	 */
	public static PeersYaml none() {
		return new PeersYaml();
	}

	/**
	 * Lists a peer, or replaces its addresses; a peer listed before keeps its place.
	 * @param publicKey its public key
	 * @param addresses where it is dialled; empty for a peer that only dials in
	 * @return this builder
	 */
	public PeersYaml peer(String publicKey, List<String> addresses) {
		this.peers.put(publicKey, List.copyOf(addresses));
		return this;
	}

	/**
	 * @return the peers.yaml text
	 */
	public String render() {
		if (this.peers.isEmpty()) {
			return "peers: []\n";
		}
		StringBuilder yaml = new StringBuilder("peers:\n");
		this.peers.forEach((publicKey, addresses) -> {
			yaml.append("  - public_key: \"").append(publicKey).append("\"\n");
			yaml.append("    addresses:").append(addresses.isEmpty() ? " []\n" : "\n");
			addresses.forEach((address) -> yaml.append("      - ").append(address).append('\n'));
		});
		return yaml.toString();
	}

	/**
	 * Replaces {@code <configDir>/peers.yaml} atomically, as an operator's tool should.
	 * @param configDir the config dir, created if missing
	 * @return the file written
	 */
	public Path write(Path configDir) {
		return ConfYaml.write(configDir.resolve(ConfigLoader.PEERS_FILE), render(), false);
	}

	@Override
	public String toString() {
		return render();
	}

	/**
	 * @param peers peers.yaml text, written by hand for a test about other keys
	 * @return {@code peers} where each one-line entry ({@code - public_key: X} and nothing else)
	 * is written in flow style with an address, on its own line: every peer needs one, and the
	 * lines keep their numbers
	 */
	public static String withPeerAddresses(String peers) {
		String[] lines = peers.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			Matcher entry = ONE_LINE_PEER.matcher(lines[i]);
			boolean continued = i + 1 < lines.length && lines[i + 1].startsWith(entry.matches() ? entry.group(1) + "  " : "\0");
			if (entry.matches() && !continued) {
				lines[i] = entry.group(1) + "- {public_key: " + entry.group(2) + ", addresses: [/ip4/127.0.0.1/tcp/1]}";
			}
		}
		return String.join("\n", lines);
	}

}
