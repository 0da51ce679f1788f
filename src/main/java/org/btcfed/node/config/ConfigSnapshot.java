package org.btcfed.node.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * One complete, validated configuration: conf.yaml and peers.yaml as the node runs them.
 * Immutable; the running node publishes the active snapshot by swapping one reference.
 * <p>
 * Besides the typed {@link #config()} and {@link #peers()}, a snapshot carries a flat view of
 * every value ({@link #properties()}, keys like {@code logging.level},
 * {@code network.addresses[0]}, {@code peers[<public key>].addresses[0]}) from which diffs are
 * computed, where each was written, and a version: a SHA-256 over the flat view (conf.yaml's
 * entries and the digest of peers.yaml's, kept from when that file was bound), so that an edit
 * that changes only comments or formatting keeps the version.
 *
 * @param config the bound conf.yaml
 * @param peers the bound peers.yaml
 * @param properties every value, formatted as written, by key (sorted); secrets included, see
 * {@link #maskedValue(String)}
 * @param locations where each key was written, when it was written at all
 * @param version {@code sha256:<hex>} of the properties (see above)
 */
public record ConfigSnapshot(NodeConfig config, List<Peer> peers, Map<String, String> properties,
		Map<String, SourceLocation> locations, String version) {

	/** What a secret looks like wherever a value is shown. */
	public static final String MASK = "******";

	private static final Pattern SECRET_KEY = Pattern
		.compile("(?i).*(private_key|privatekey|password|passwd|secret|token|credential|api_key|apikey).*");

	private static final Pattern BRACKETS = Pattern.compile("\\[[^\\]]*\\]");

	public ConfigSnapshot {
		peers = List.copyOf(peers);
		properties = Collections.unmodifiableMap(new TreeMap<>(properties));
		locations = Map.copyOf(locations);
	}

	/**
	 * Builds a snapshot, deriving the flat view and the version.
	 * @param config the bound conf.yaml
	 * @param confValues the typed values of conf.yaml by key, defaults included
	 * @param peers the bound peers
	 * @param locations where keys were written
	 * @return the snapshot
	 */
	static ConfigSnapshot of(NodeConfig config, Map<String, Object> confValues, PeersBinder.Bound peers,
			Map<String, SourceLocation> locations) {
		TreeMap<String, String> own = new TreeMap<>();
		confValues.forEach((key, value) -> flatten(own, key, value));
		if (config.node().key() != null) {
			own.put("node.private_key", config.node().key().encoded());
		}
		TreeMap<String, String> flat = new TreeMap<>(peers.flat());
		flat.putAll(own);
		// conf.yaml's entries are hashed here; peers.yaml's digest was computed when it was bound.
		MessageDigest version = sha256();
		version.update(digest(own));
		version.update(peers.digest());
		return new ConfigSnapshot(config, peers.peers(), flat, locations,
				"sha256:" + HexFormat.of().formatHex(version.digest()));
	}

	/** The flat view of a peer list: {@code peers[<public key>].addresses[i]}, sorted. */
	static SortedMap<String, String> flattenPeers(List<Peer> peers) {
		TreeMap<String, String> flat = new TreeMap<>();
		for (Peer peer : peers) {
			flatten(flat, PeersBinder.keyOf(peer.publicKey()) + ".addresses", peer.addresses());
		}
		return Collections.unmodifiableSortedMap(flat);
	}

	private static void flatten(Map<String, String> flat, String key, Object value) {
		if (value instanceof List<?> list) {
			if (list.isEmpty()) {
				flat.put(key, "[]");
			}
			for (int i = 0; i < list.size(); i++) {
				flat.put(key + "[" + i + "]", ConfSchema.format(list.get(i)));
			}
		}
		else {
			flat.put(key, ConfSchema.format(value));
		}
	}

	/** SHA-256 of sorted entries, key and value separated so that no two maps hash alike. */
	static byte[] digest(SortedMap<String, String> flat) {
		MessageDigest digest = sha256();
		flat.forEach((key, value) -> {
			digest.update(key.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(value.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) '\n');
		});
		return digest.digest();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * Whether a key holds a secret (the node key, anything that looks like a credential).
	 * @param key a key path
	 * @return true when its value must never be shown
	 */
	public static boolean isSecret(String key) {
		// Only names count: a peer's public key in brackets is data and may contain anything.
		String names = (key.indexOf('[') < 0) ? key : BRACKETS.matcher(key).replaceAll("");
		return SECRET_KEY.matcher(names).matches();
	}

	/**
	 * The value of a key for showing to people: secrets are masked.
	 * @param key a key path
	 * @return the value, {@link #MASK} for a secret, or {@code null} when the key is absent
	 */
	public @Nullable String maskedValue(String key) {
		String value = this.properties.get(key);
		return (value != null && isSecret(key)) ? MASK : value;
	}

	/**
	 * Where a key was written: the key itself, or failing that its nearest enclosing key
	 * ({@code network.addresses[1]} falls back to {@code network.addresses}, then {@code network}).
	 * @param key a key path
	 * @return the location, if the key or a parent was written in a file
	 */
	public Optional<SourceLocation> locate(String key) {
		String current = key;
		while (!current.isEmpty()) {
			SourceLocation location = this.locations.get(current);
			if (location != null) {
				return Optional.of(location);
			}
			int cut = Math.max(current.lastIndexOf('.'), current.lastIndexOf('['));
			current = (cut <= 0) ? "" : current.substring(0, cut);
		}
		return Optional.empty();
	}

	/**
	 * An error about one of this snapshot's keys, placed where the key was written.
	 * @param key a key path
	 * @param message what is wrong
	 * @return the error, with file, line and column where known
	 */
	public ConfigError errorAt(String key, String message) {
		return ConfigError.at(locate(key).orElse(null), key, fileOf(key), message);
	}

	/**
	 * The file a key belongs to.
	 * @param key a key path
	 * @return {@code peers.yaml} for peer entries, {@code conf.yaml} otherwise
	 */
	public static String fileOf(String key) {
		return key.startsWith("peers[") ? PeersBinder.FILE : ConfBinder.FILE;
	}

	@Override
	public String toString() {
		return "ConfigSnapshot[" + this.version + "]";
	}

	/**
	 * The keys whose values differ between this snapshot and another, from the flat views only.
	 * List elements compare by index, peers by public key, so reordering peers.yaml is no change.
	 * @param other the snapshot to compare with
	 * @return the keys added, removed or changed, sorted
	 */
	public List<String> changedKeys(ConfigSnapshot other) {
		// Both flat views are sorted: one merge walk, no key set built (a thousand peers are
		// two thousand keys, on every reload).
		Iterator<Map.Entry<String, String>> a = this.properties.entrySet().iterator();
		Iterator<Map.Entry<String, String>> b = other.properties.entrySet().iterator();
		Map.Entry<String, String> left = next(a);
		Map.Entry<String, String> right = next(b);
		List<String> changed = new ArrayList<>();
		while (left != null || right != null) {
			int order = (left == null) ? 1 : (right == null) ? -1 : left.getKey().compareTo(right.getKey());
			if (order < 0) {
				changed.add(left.getKey());
				left = next(a);
			}
			else if (order > 0) {
				changed.add(right.getKey());
				right = next(b);
			}
			else {
				if (!left.getValue().equals(right.getValue())) {
					changed.add(left.getKey());
				}
				left = next(a);
				right = next(b);
			}
		}
		return changed;
	}

	private static Map.@Nullable Entry<String, String> next(Iterator<Map.Entry<String, String>> entries) {
		return entries.hasNext() ? entries.next() : null;
	}

}
