package org.btcfed.node.config;

import java.util.function.Function;

/**
 * One key of conf.yaml: its path, default, the rule its value must follow and how the value is
 * converted to its type.
 *
 * @param key the dotted key path, e.g. {@code network.max_connections}
 * @param defaultValue the typed default used when the key is absent or null
 * @param list whether the value is a YAML list of scalars, each converted on its own
 * @param secret whether the value must never be shown
 * @param converter converts the scalar text to the typed value; throws
 * {@link IllegalArgumentException} with a message naming the rule
 */
record KeySpec(String key, Object defaultValue, boolean list, boolean secret, Function<String, Object> converter) {

	String section() {
		return this.key.substring(0, this.key.indexOf('.'));
	}

	String name() {
		return this.key.substring(this.key.indexOf('.') + 1);
	}

}
