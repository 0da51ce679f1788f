package org.btcfed.node.config;

import org.jspecify.annotations.Nullable;

/**
 * One problem found in the configuration, with everything an operator needs to find it.
 * Messages never contain secret values.
 *
 * @param key the key path, e.g. {@code network.addresses[0]}, or {@code null} for a file-level problem
 * @param file the file name, e.g. {@code conf.yaml}, or {@code null} when it is not tied to a file
 * @param line the 1-based line, or {@code null}
 * @param column the 1-based column, or {@code null}
 * @param message what is wrong and, where it helps, what would be right
 */
public record ConfigError(@Nullable String key, @Nullable String file, @Nullable Integer line,
		@Nullable Integer column, String message) {

	static ConfigError at(@Nullable SourceLocation location, @Nullable String key, String fallbackFile,
			String message) {
		if (location == null) {
			return new ConfigError(key, fallbackFile, null, null, message);
		}
		return new ConfigError(key, location.file(), location.line(), location.column(), message);
	}

	/**
	 * Renders the error the way compilers do: {@code conf.yaml:4:7: network.addresses[0]: message}.
	 * @return a one-line description
	 */
	public String describe() {
		StringBuilder sb = new StringBuilder();
		if (this.file != null) {
			sb.append(this.file);
			if (this.line != null) {
				sb.append(':').append(this.line);
				if (this.column != null) {
					sb.append(':').append(this.column);
				}
			}
			sb.append(": ");
		}
		if (this.key != null) {
			sb.append(this.key).append(": ");
		}
		return sb.append(this.message).toString();
	}

}
