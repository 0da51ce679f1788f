package org.btcfed.node.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Binds conf.yaml's node tree against {@link ConfSchema}: unknown keys (with a suggestion), wrong
 * shapes and values out of range are all collected, each with its location.
 */
final class ConfBinder {

	static final String FILE = "conf.yaml";

	private final YamlTree tree;

	private final Map<String, Object> values = new HashMap<>();

	private final Map<String, SourceLocation> locations = new HashMap<>();

	/** Keys written with a value that was already reported as wrong. */
	private final Set<String> rejected = new HashSet<>();

	private final List<ConfigError> errors;

	ConfBinder(List<ConfigError> errors) {
		this.errors = errors;
		this.tree = new YamlTree(FILE, errors);
	}

	/** The bound result: typed values by key (defaults filled in) and where each was written. */
	record Bound(NodeConfig config, Map<String, Object> values, Map<String, SourceLocation> locations) {
	}

	Bound bind(@Nullable Node root) {
		if (root != null && !YamlTree.isNull(root)) {
			MappingNode mapping = this.tree.mapping(root, null);
			if (mapping != null) {
				bindSections(mapping);
			}
		}
		requireKeys(root);
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			this.values.putIfAbsent(spec.key(), spec.defaultValue());
		}
		return new Bound(toConfig(), Map.copyOf(this.values), Map.copyOf(this.locations));
	}

	/**
	 * Reports each required key that has no value, where the operator would write it: at the key
	 * when it is written empty, else at its section, else at the top of the file.
	 */
	private void requireKeys(@Nullable Node root) {
		boolean unusable = root == null || YamlTree.isNull(root) || !(root instanceof MappingNode);
		for (String key : ConfSchema.REQUIRED) {
			if (unusable || this.values.containsKey(key) || this.rejected.contains(key)) {
				continue;
			}
			String section = key.substring(0, key.indexOf('.'));
			SourceLocation at = this.locations.getOrDefault(key, this.locations.get(section));
			String message = (at == null)
					? "is required: the " + section + " section is missing; list the addresses to listen on, e.g."
							+ " addresses: [/ip4/0.0.0.0/tcp/9000, /ip6/::/tcp/9000]"
					: "is required: list at least one address to listen on, e.g. /ip4/0.0.0.0/tcp/9000";
			this.errors.add(ConfigError.at(at, key, FILE, message));
		}
	}

	private void bindSections(MappingNode root) {
		for (YamlTree.Entry section : this.tree.entries(root, "")) {
			if (!ConfSchema.SECTIONS.contains(section.name())) {
				this.tree.error(section.keyNode(), section.name(),
						Suggestions.unknownKeyMessage(section.name(), ConfSchema.SECTIONS));
				continue;
			}
			this.locations.put(section.name(), this.tree.locate(section.keyNode()));
			if (YamlTree.isNull(section.valueNode())) {
				continue;
			}
			MappingNode mapping = this.tree.mapping(section.valueNode(), section.name());
			if (mapping != null) {
				bindKeys(section.name(), mapping);
			}
		}
	}

	private void bindKeys(String section, MappingNode mapping) {
		List<String> known = ConfSchema.keysOf(section);
		for (YamlTree.Entry entry : this.tree.entries(mapping, section)) {
			String key = section + "." + entry.name();
			KeySpec spec = ConfSchema.KEYS.get(key);
			if (spec == null) {
				this.tree.error(entry.keyNode(), key, Suggestions.unknownKeyMessage(entry.name(), known));
				continue;
			}
			this.locations.put(key, this.tree.locate(entry.valueNode()));
			if (YamlTree.isNull(entry.valueNode())) {
				continue;
			}
			Object value = spec.list() ? bindList(spec, entry.valueNode()) : bindScalar(spec, key, entry.valueNode());
			if (value != null) {
				this.values.put(key, value);
			}
			else {
				this.rejected.add(key);
			}
		}
	}

	private @Nullable Object bindList(KeySpec spec, Node node) {
		List<Node> elements = this.tree.sequence(node, spec.key());
		if (elements == null) {
			return null;
		}
		List<Object> list = new ArrayList<>();
		boolean valid = true;
		for (int i = 0; i < elements.size(); i++) {
			String key = spec.key() + "[" + i + "]";
			this.locations.put(key, this.tree.locate(elements.get(i)));
			Object value = bindScalar(spec, key, elements.get(i));
			valid &= (value != null);
			if (value != null) {
				if (list.contains(value)) {
					this.tree.error(elements.get(i), key, "duplicate entry " + value);
					valid = false;
				}
				list.add(value);
			}
		}
		if (list.isEmpty() && valid) {
			this.tree.error(node, spec.key(), "must list at least one entry");
			return null;
		}
		return valid ? List.copyOf(list) : null;
	}

	private @Nullable Object bindScalar(KeySpec spec, String key, Node node) {
		String text = this.tree.scalar(node, key);
		if (text == null) {
			return null;
		}
		try {
			return spec.converter().apply(text);
		}
		catch (IllegalArgumentException ex) {
			String message = spec.secret() ? "is not valid (the value is secret and not shown)" : ex.getMessage();
			this.tree.error(node, key, message);
			return null;
		}
	}

	@SuppressWarnings("unchecked")
	private NodeConfig toConfig() {
		return new NodeConfig(new NodeConfig.NodeSettings(null),
				new NodeConfig.NetworkSettings((List<Multiaddr>) get("network.addresses"),
						(Integer) get("network.max_connections")),
				new NodeConfig.PeerSettings((Duration) get("peers.connection_timeout")),
				new NodeConfig.LoggingSettings((NodeConfig.LogLevel) get("logging.level"),
						(NodeConfig.LogFormat) get("logging.format"), (Boolean) get("logging.console_output"),
						(Boolean) get("logging.console_color"), (Boolean) get("logging.file_output"), (String) get("logging.file_name"),
						(DataSize) get("logging.file_max_size"), (Integer) get("logging.file_max_history")),
				new NodeConfig.ProtocolSettings((Duration) get("protocol.ping_interval"),
						(DataSize) get("protocol.max_message_size")));
	}

	private Object get(String key) {
		return this.values.get(key);
	}

}
