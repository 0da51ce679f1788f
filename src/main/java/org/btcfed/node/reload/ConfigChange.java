package org.btcfed.node.reload;

import org.jspecify.annotations.Nullable;

/**
 * One changed key between two snapshots. Values are as shown to people: secrets are masked.
 *
 * @param key the key path, e.g. {@code logging.level} or {@code network.addresses[1]}
 * @param change ADDED, REMOVED or MODIFIED
 * @param from the old value, {@code null} when added
 * @param to the new value, {@code null} when removed
 */
public record ConfigChange(String key, Kind change, @Nullable String from, @Nullable String to) {

	/** How a key changed. */
	public enum Kind {

		/** The key is new. */
		ADDED,

		/** The key is gone. */
		REMOVED,

		/** The key's value changed. */
		MODIFIED

	}

}
