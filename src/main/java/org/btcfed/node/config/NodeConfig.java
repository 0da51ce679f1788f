package org.btcfed.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The bound content of {@code conf.yaml}, in btc-federation's schema plus btcfed-node's
 * extensions. Immutable; every value has been checked against its rule by the time a
 * {@code NodeConfig} exists.
 *
 * @param node the node's identity
 * @param network listen addresses and connection limits
 * @param peers peer connection settings
 * @param logging log level, format and outputs
 * @param protocol per-protocol settings
 */
public record NodeConfig(NodeSettings node, NetworkSettings network, PeerSettings peers, LoggingSettings logging,
		ProtocolSettings protocol) {

	/**
	 * {@code node.*}.
	 * @param key the node's Ed25519 key, or {@code null} when the file leaves it empty (it is then
	 * generated and saved at start-up)
	 */
	public record NodeSettings(@Nullable NodeKey key) {
	}

	/**
	 * {@code network.*}.
	 * @param addresses multiaddrs to listen on
	 * @param maxConnections the most peer connections held at once
	 */
	public record NetworkSettings(List<Multiaddr> addresses, int maxConnections) {

		public NetworkSettings {
			addresses = List.copyOf(addresses);
		}

	}

	/**
	 * {@code peers.*} (conf.yaml; the peer list itself is in peers.yaml).
	 * @param connectionTimeout how long a dial and handshake may take
	 */
	public record PeerSettings(Duration connectionTimeout) {
	}

	/**
	 * {@code logging.*}.
	 * @param level the root log level
	 * @param format json or text
	 * @param consoleOutput whether to log to standard output
	 * @param fileOutput whether to log to a file
	 * @param fileName the log file; relative paths are resolved against the data dir
	 * @param fileMaxSize the size at which the log file is rotated
	 * @param fileMaxHistory how many rotated files are kept
	 */
	public record LoggingSettings(LogLevel level, LogFormat format, boolean consoleOutput, boolean consoleColor,
			boolean fileOutput,
			String fileName, DataSize fileMaxSize, int fileMaxHistory) {
	}

	/**
	 * {@code protocol.*}.
	 * @param pingInterval how often a connected peer is pinged
	 * @param maxMessageSize the largest application message accepted or sent
	 */
	public record ProtocolSettings(Duration pingInterval, DataSize maxMessageSize) {
	}

	/** Log levels, as written in conf.yaml. */
	public enum LogLevel {

		DEBUG, INFO, WARN, ERROR;

		/**
		 * @return the name as written in conf.yaml
		 */
		public String yamlName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** Log formats, as written in conf.yaml. */
	public enum LogFormat {

		JSON, TEXT;

		/**
		 * @return the name as written in conf.yaml
		 */
		public String yamlName() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
