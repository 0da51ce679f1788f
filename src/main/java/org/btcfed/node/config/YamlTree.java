package org.btcfed.node.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Small helpers for walking a composed YAML tree while collecting errors with their locations.
 */
final class YamlTree {

	/** Tags a plain or quoted scalar resolves to; any other tag was written explicitly. */
	private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.FLOAT,
			Tag.NULL, Tag.TIMESTAMP);

	private final String file;

	private final List<ConfigError> errors;

	YamlTree(String file, List<ConfigError> errors) {
		this.file = file;
		this.errors = errors;
	}

	SourceLocation locate(Node node) {
		return new SourceLocation(this.file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
	}

	void error(Node node, @Nullable String key, String message) {
		this.errors.add(ConfigError.at(locate(node), key, this.file, message));
	}

	/**
	 * @param root a composed document, or {@code null}
	 * @param path mapping keys from the root
	 * @return the scalar at {@code path}, or {@code null} when there is none
	 */
	static @Nullable String scalarAt(@Nullable Node root, String... path) {
		Node node = root;
		for (String key : path) {
			if (!(node instanceof MappingNode mapping)) {
				return null;
			}
			node = mapping.getValue()
				.stream()
				.filter(tuple -> tuple.getKeyNode() instanceof ScalarNode name && key.equals(name.getValue()))
				.map(NodeTuple::getValueNode)
				.findFirst()
				.orElse(null);
		}
		return (node instanceof ScalarNode scalar && !isNull(scalar)) ? scalar.getValue() : null;
	}

	static boolean isNull(Node node) {
		return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
	}

	/**
	 * The entries of a mapping whose keys are plain scalars; other keys are reported, and so is a
	 * key written twice (SnakeYAML only checks duplicates when it constructs objects, which
	 * {@link SafeYaml} never does), whose second value is then ignored.
	 */
	List<Entry> entries(MappingNode mapping, String parentKey) {
		List<Entry> entries = new ArrayList<>();
		Map<String, Node> seen = new HashMap<>();
		for (NodeTuple tuple : mapping.getValue()) {
			if (tuple.getKeyNode() instanceof ScalarNode key && !isNull(key)) {
				Node first = seen.putIfAbsent(key.getValue(), key);
				if (first != null) {
					error(key, parentKey.isEmpty() ? key.getValue() : parentKey + "." + key.getValue(),
							"duplicate key '" + key.getValue() + "', first written at line " + locate(first).line());
					continue;
				}
				entries.add(new Entry(key.getValue(), tuple.getKeyNode(), tuple.getValueNode()));
			}
			else {
				error(tuple.getKeyNode(), parentKey.isEmpty() ? null : parentKey, "keys must be plain names");
			}
		}
		return entries;
	}

	/** The scalar text of a node, or an error naming the key when it is not a scalar. */
	@Nullable String scalar(Node node, String key) {
		if (node instanceof ScalarNode scalar) {
			if (PLAIN_TAGS.contains(scalar.getTag())) {
				return scalar.getValue();
			}
			error(node, key, "YAML tags are not allowed here, found " + scalar.getTag().getValue());
			return null;
		}
		error(node, key, "must be a single value, not a " + kind(node));
		return null;
	}

	/** The elements of a list, or an error naming the key when the node is not a list. */
	@Nullable List<Node> sequence(Node node, String key) {
		if (node instanceof SequenceNode sequence) {
			return untagged(node, Tag.SEQ, key) ? sequence.getValue() : null;
		}
		error(node, key, "must be a list, not a " + kind(node));
		return null;
	}

	/** The node as a mapping, or an error naming the key when it is not one. */
	@Nullable MappingNode mapping(Node node, @Nullable String key) {
		if (node instanceof MappingNode mapping) {
			return untagged(node, Tag.MAP, key) ? mapping : null;
		}
		error(node, key, "must be a mapping of keys to values, not a " + kind(node));
		return null;
	}

	/** Whether a collection carries its implicit tag; an explicit one (e.g. {@code !!set}) is reported. */
	private boolean untagged(Node node, Tag implicit, @Nullable String key) {
		if (implicit.equals(node.getTag())) {
			return true;
		}
		error(node, key, "YAML tags are not allowed here, found " + node.getTag().getValue());
		return false;
	}

	private static String kind(Node node) {
		return switch (node.getNodeId()) {
			case mapping -> "mapping";
			case sequence -> "list";
			default -> "single value";
		};
	}

	/** One key of a mapping with its nodes. */
	record Entry(String name, Node keyNode, Node valueNode) {
	}

}
