package org.btcfed.node.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration was rejected. Carries every error found, not only the first, and never a
 * secret value.
 */
public class ConfigException extends RuntimeException {

	private final List<ConfigError> errors;

	private final boolean transientFailure;

	/**
	 * Creates an exception for definite validation errors.
	 * @param errors the errors, at least one
	 */
	public ConfigException(List<ConfigError> errors) {
		this(errors, false);
	}

	ConfigException(List<ConfigError> errors, boolean transientFailure) {
		super(summarize(errors));
		this.errors = List.copyOf(errors);
		this.transientFailure = transientFailure;
	}

	/**
	 * @return every error found, in file order
	 */
	public List<ConfigError> getErrors() {
		return this.errors;
	}

	/**
	 * Whether the failure may go away by itself, e.g. a file caught while an editor was writing
	 * it. Such failures are worth retrying before they are reported.
	 * @return true for a transient failure
	 */
	public boolean isTransient() {
		return this.transientFailure;
	}

	private static String summarize(List<ConfigError> errors) {
		return errors.size() + " configuration error(s):" + System.lineSeparator() + errors.stream()
			.map(e -> "  " + e.describe())
			.collect(Collectors.joining(System.lineSeparator()));
	}

}
