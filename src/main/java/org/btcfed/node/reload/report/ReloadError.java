package org.btcfed.node.reload.report;

import org.btcfed.node.config.ConfigError;
import org.jspecify.annotations.Nullable;

/**
 * One error in a reload report: its class, the component, key, file and position it concerns.
 *
 * @param type the error class
 * @param component the component it concerns, or {@code null}
 * @param key the config key, or {@code null}
 * @param file the config file, or {@code null}
 * @param line 1-based line, or {@code null}
 * @param column 1-based column, or {@code null}
 * @param message what went wrong, safe to show (no secrets)
 */
public record ReloadError(ErrorType type, @Nullable String component, @Nullable String key, @Nullable String file,
		@Nullable Integer line, @Nullable Integer column, String message) {

	public static ReloadError of(ErrorType type, @Nullable String component, ConfigError error) {
		return new ReloadError(type, component, error.key(), error.file(), error.line(), error.column(),
				error.message());
	}

	public static ReloadError component(ErrorType type, String component, String message) {
		return new ReloadError(type, component, null, null, null, null, message);
	}

	/**
	 * Renders the error the one way the node prints errors, for logs and the command line:
	 * {@code VALIDATION [network] conf.yaml:4:7: network.addresses[0]: message}.
	 * @return a one-line description
	 */
	public String describe() {
		return this.type + ((this.component != null) ? " [" + this.component + "] " : " ")
				+ new ConfigError(this.key, this.file, this.line, this.column, this.message).describe();
	}

}
