package org.btcfed.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads, binds and validates conf.yaml and peers.yaml from a config dir into a
 * {@link ConfigSnapshot}. Touches nothing live: the result is a staged copy that the caller may
 * use or throw away.
 * <p>
 * A file that changes while it is read (an editor in mid-write) or cannot be read for a moment
 * gives a {@linkplain ConfigException#isTransient() transient} error, which callers retry.
 * Thread-safe: besides the directory it only keeps the last peers.yaml it bound, by content.
 */
public final class ConfigLoader {

	/** Name of the node config file in the config dir. */
	public static final String CONF_FILE = ConfBinder.FILE;

	/** Name of the federation peers file in the config dir. */
	public static final String PEERS_FILE = PeersBinder.FILE;

	/** conf.yaml's errors, then peers.yaml's, each by line and column; file-level errors first. */
	private static final Comparator<ConfigError> FILE_ORDER = Comparator
		.comparingInt((ConfigError error) -> PEERS_FILE.equals(error.file()) ? 1 : 0)
		.thenComparing(ConfigError::line, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(ConfigError::column, Comparator.nullsFirst(Comparator.naturalOrder()));

	private static final String EMPTY_FILE = "the file is empty";

	private final Path configDir;

	private volatile @Nullable CachedPeers lastPeers;

	/**
	 * @param configDir the directory holding conf.yaml and peers.yaml
	 */
	public ConfigLoader(Path configDir) {
		this.configDir = configDir;
	}

	/**
	 * @return the config dir
	 */
	public Path configDir() {
		return this.configDir;
	}

	/**
	 * Loads a snapshot that must have a node key, as a reload needs.
	 * @return the staged snapshot
	 * @throws ConfigException listing every error found
	 */
	public ConfigSnapshot load() {
		return load(false);
	}

	/**
	 * Loads a snapshot.
	 * @param allowMissingKey whether an empty {@code node.private_key} is accepted (at start-up,
	 * where the key is then generated)
	 * @return the staged snapshot
	 * @throws ConfigException listing every error found
	 */
	public ConfigSnapshot load(boolean allowMissingKey) {
		return stage(allowMissingKey).snapshot();
	}

	/**
	 * Loads a snapshot together with the bytes it was read from, so that exactly what was
	 * validated can be kept as a version backup.
	 * @param allowMissingKey see {@link #load(boolean)}
	 * @return the snapshot and the files' content by file name
	 * @throws ConfigException listing every error found
	 */
	public Staged stage(boolean allowMissingKey) {
		List<ConfigError> errors = new ArrayList<>();
		byte[] confBytes = read(CONF_FILE, true);
		byte[] peersBytes = read(PEERS_FILE, false);
		ConfBinder.Bound conf = new ConfBinder(errors).bind(compose(CONF_FILE, confBytes, errors));
		// When conf.yaml cannot be parsed at all, or node.private_key has the wrong shape, that is
		// already reported: "must not be empty" on top of it would only mislead.
		boolean keyReported = errors.stream().anyMatch(ConfigLoader::concernsKey);
		PeersBinder.Bound peers = bindPeers(peersBytes, errors);
		NodeKey key = bindKey(conf, allowMissingKey || keyReported, errors);
		if (key != null) {
			checkOwnKeyNotAPeer(key, peers, errors);
		}
		checkRoomForEveryPeer(conf, peers, errors);
		if (!errors.isEmpty()) {
			// An empty file is most often an editor's save caught half-way: worth a retry.
			boolean emptyFile = (confBytes.length == 0 || (peersBytes != null && peersBytes.length == 0))
					&& errors.stream().allMatch(ConfigLoader::isEmptyFileError);
			errors.sort(FILE_ORDER);
			throw new ConfigException(errors, emptyFile);
		}
		NodeConfig config = new NodeConfig(new NodeConfig.NodeSettings(key), conf.config().network(),
				conf.config().peers(), conf.config().logging(), conf.config().protocol());
		Map<String, Object> values = new HashMap<>(conf.values());
		values.remove("node.private_key");
		Map<String, SourceLocation> locations = new HashMap<>(conf.locations());
		locations.putAll(peers.locations());
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(CONF_FILE, confBytes);
		if (peersBytes != null) {
			files.put(PEERS_FILE, peersBytes);
		}
		return new Staged(ConfigSnapshot.of(config, values, peers, locations), files);
	}

	/**
	 * The log format conf.yaml asks for, read leniently before anything else (so that the very
	 * first log lines, and a start-up failure, come in it): a file that cannot be read or parsed,
	 * or whose format is not valid, gives the schema's default, and validation reports it later.
	 * @param configDir the config dir
	 * @return the configured format, or the default
	 */
	public static NodeConfig.LogFormat peekLogFormat(Path configDir) {
		NodeConfig.LogFormat fallback = (NodeConfig.LogFormat) ConfSchema.KEYS.get("logging.format").defaultValue();
		try {
			Node root = SafeYaml.compose(CONF_FILE, Files.readAllBytes(configDir.resolve(CONF_FILE)));
			String text = YamlTree.scalarAt(root, "logging", "format");
			if (text != null) {
				for (NodeConfig.LogFormat format : NodeConfig.LogFormat.values()) {
					if (format.yamlName().equalsIgnoreCase(text.trim())) {
						return format;
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Reported, with its location, when the configuration is loaded.
		}
		return fallback;
	}

	/**
	 * A loaded snapshot and the file content it came from.
	 * @param snapshot the snapshot
	 * @param files the files' bytes by file name (peers.yaml absent when the file is)
	 */
	public record Staged(ConfigSnapshot snapshot, Map<String, byte[]> files) {
	}

	private @Nullable Node compose(String file, byte[] bytes, List<ConfigError> errors) {
		if (bytes.length == 0) {
			errors.add(new ConfigError(null, file, null, null,
					EMPTY_FILE + "; an empty file is never valid (it is usually a save in progress)"));
			return null;
		}
		try {
			return SafeYaml.compose(file, bytes);
		}
		catch (ConfigException ex) {
			errors.addAll(ex.getErrors());
			return null;
		}
	}

	/**
	 * Binds peers.yaml, reusing the last result when the bytes are the same: a federation's peer
	 * list rarely changes, and parsing a thousand entries again would dominate every reload.
	 */
	private PeersBinder.Bound bindPeers(byte @Nullable [] bytes, List<ConfigError> errors) {
		if (bytes == null) {
			return PeersBinder.Bound.of(List.of(), Map.of());
		}
		CachedPeers cached = this.lastPeers;
		if (cached != null && Arrays.equals(cached.bytes(), bytes)) {
			return cached.bound();
		}
		int before = errors.size();
		PeersBinder.Bound bound = new PeersBinder(errors).bind(Objects.requireNonNull(composeNonEmpty(bytes, errors)));
		if (errors.size() == before) {
			this.lastPeers = new CachedPeers(bytes, bound);
		}
		return bound;
	}

	private record CachedPeers(byte[] bytes, PeersBinder.Bound bound) {
	}

	private @Nullable Node composeNonEmpty(byte[] bytes, List<ConfigError> errors) {
		int before = errors.size();
		Node root = compose(PEERS_FILE, bytes, errors);
		if (root == null && bytes.length > 0 && errors.size() == before) {
			errors.add(new ConfigError(null, PEERS_FILE, null, null,
					"the file has no content; write 'peers: []' for a node without peers"));
		}
		return (root != null) ? root : new MappingNode(
				Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO);
	}

	private @Nullable NodeKey bindKey(ConfBinder.Bound conf, boolean allowMissingKey, List<ConfigError> errors) {
		String text = (String) conf.values().get("node.private_key");
		SourceLocation location = conf.locations().get("node.private_key");
		if (text.isBlank()) {
			if (!allowMissingKey) {
				errors.add(ConfigError.at(location, "node.private_key", CONF_FILE,
						"must not be empty on reload: a key is generated only at start-up; to change the node's"
								+ " identity, write the new key here"));
			}
			return null;
		}
		try {
			return NodeKey.parse(text);
		}
		catch (IllegalArgumentException ex) {
			errors.add(ConfigError.at(location, "node.private_key", CONF_FILE, ex.getMessage()));
			return null;
		}
	}

	private static boolean isEmptyFileError(ConfigError error) {
		return error.key() == null && error.message().startsWith(EMPTY_FILE);
	}

	/** Whether an error of conf.yaml already covers node.private_key: the whole file, node, or the key. */
	private static boolean concernsKey(ConfigError error) {
		return CONF_FILE.equals(error.file())
				&& (error.key() == null || "node".equals(error.key()) || "node.private_key".equals(error.key()));
	}

	/** Across both files: the connection limit must leave room for a connection to every peer. */
	private static void checkRoomForEveryPeer(ConfBinder.Bound conf, PeersBinder.Bound peers, List<ConfigError> errors) {
		int limit = conf.config().network().maxConnections();
		if (limit < peers.peers().size()) {
			errors.add(ConfigError.at(conf.locations().get("network.max_connections"), "network.max_connections",
					CONF_FILE, "must be at least the number of peers in peers.yaml (" + peers.peers().size()
							+ "), was " + limit + ": the node could not stay connected to every peer"));
		}
	}

	private static void checkOwnKeyNotAPeer(NodeKey key, PeersBinder.Bound peers, List<ConfigError> errors) {
		String own = key.publicKeyBase64();
		for (Peer peer : peers.peers()) {
			if (peer.publicKey().equals(own)) {
				String peerKey = PeersBinder.keyOf(own);
				errors.add(ConfigError.at(peers.locations().get(peerKey), peerKey + ".public_key", PEERS_FILE,
						"is this node's own public key; a node must not list itself as a peer"));
			}
		}
	}

	/**
	 * Reads a file, making sure it did not change while it was read.
	 * @return the bytes, or {@code null} for an optional file that does not exist
	 */
	private byte @Nullable [] read(String name, boolean required) {
		Path file = this.configDir.resolve(name);
		try {
			BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
			if (!before.isRegularFile()) {
				throw SafeYaml.fileError(name, "is not a regular file: " + file);
			}
			byte[] bytes = Files.readAllBytes(file);
			BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
			if (before.size() != after.size() || !before.lastModifiedTime().equals(after.lastModifiedTime())
					|| bytes.length != after.size()) {
				throw new ConfigException(List.of(new ConfigError(null, name, null, null,
						"the file changed while it was read (a save in progress?)")), true);
			}
			return bytes;
		}
		catch (NoSuchFileException ex) {
			if (!required) {
				return null;
			}
			throw new ConfigException(List.of(new ConfigError(null, name, null, null,
					"not found: " + file.toAbsolutePath() + " (set --btcfed.config-dir to the directory holding it)")),
					true);
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigError(null, name, null, null,
					"cannot be read: " + ex.getClass().getSimpleName() + " " + ex.getMessage())), true);
		}
	}

}
