package org.btcfed.node.config;

import java.util.List;

/**
 * What a part of the node asks of a configuration, beyond the schema: the keys it cannot change
 * while it runs, and checks of its own. The reload contract ({@code HotReloadable}) extends it,
 * so that every component's rules run in the {@link ValidationPipeline}.
 */
public interface ConfigRules {

	/**
	 * @return the name errors are reported under, for example {@code network}
	 */
	String name();

	/**
	 * @param key a changed key
	 * @return whether this part owns the key and cannot apply a change of it while the node runs
	 */
	default boolean fixedWhileRunning(String key) {
		return false;
	}

	/**
	 * Checks a staged configuration. Must not change any state.
	 * @param staged the configuration about to be applied
	 * @return the problems found; empty when it can be applied
	 */
	default List<ConfigError> validate(ConfigSnapshot staged) {
		return List.of();
	}

}
