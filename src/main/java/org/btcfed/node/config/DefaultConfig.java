package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * btc-federation's default node configuration, which a node given a config dir without conf.yaml
 * writes there and starts on, as btc-federation's node does: listening on every IPv4 and IPv6
 * address on port 9000, with a newly generated key.
 */
public final class DefaultConfig {

	private DefaultConfig() {
	}

	/**
	 * @param key the node's key
	 * @return the default conf.yaml holding {@code key}
	 */
	static String text(NodeKey key) {
		return """
				# btc-federation's default configuration, written by btcfed-node because the config dir
				# had no conf.yaml. Every key, its default and its reload strategy: see the README.
				node:
				  # This node's identity (base64 Ed25519, seed || public key). Keep it secret.
				  private_key: "%s"
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000
				    - /ip6/::/tcp/9000
				peers:
				  connection_timeout: 10s
				logging:
				  level: info
				  format: json
				""".formatted(key.encoded());
	}

	/**
	 * Writes the default conf.yaml with a new key when the config dir has none.
	 * @param configDir the config dir, which must exist
	 * @return the new key, or {@code null} when conf.yaml exists (then nothing is written)
	 * @throws ConfigException when the config dir does not exist, or the file cannot be written
	 */
	public static NodeKey writeIfMissing(Path configDir) {
		if (!Files.isDirectory(configDir)) {
			throw new ConfigException(List.of(new ConfigError(null, ConfBinder.FILE, null, null,
					"the config dir " + configDir.toAbsolutePath().normalize() + " does not exist (set"
							+ " --btcfed.config-dir to the directory holding conf.yaml and peers.yaml)")));
		}
		Path file = configDir.resolve(ConfBinder.FILE);
		if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		NodeKey key = NodeKey.generate();
		try {
			AtomicFiles.writeOwnerOnly(file, text(key).getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigError(null, ConfBinder.FILE, null, null,
					"is missing, and the default configuration cannot be written to " + file + " ("
							+ ex.getClass().getSimpleName() + ": " + ex.getMessage()
							+ "); make the config dir writable, or write conf.yaml yourself")));
		}
		return key;
	}

}
