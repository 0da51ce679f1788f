package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.List;

import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ConfigChange;

/**
 * The difference between two snapshots, computed from their flat views only, never from live
 * state. List elements compare by index, peers by public key (their keys are
 * {@code peers[<public key>]...}), so reordering peers.yaml is no change.
 *
 * @param changes the changed keys, sorted by key
 */
record ConfigDiff(List<ConfigChange> changes) {

	ConfigDiff {
		changes = List.copyOf(changes);
	}

	/**
	 * The diff for keys already known to have changed.
	 * @param from the running snapshot
	 * @param to the staged snapshot
	 * @param keys the changed keys, sorted ({@link ConfigSnapshot#changedKeys})
	 * @return the changes, secrets masked
	 */
	static ConfigDiff of(ConfigSnapshot from, ConfigSnapshot to, List<String> keys) {
		List<ConfigChange> changes = new ArrayList<>(keys.size());
		for (String key : keys) {
			boolean before = from.properties().containsKey(key);
			boolean after = to.properties().containsKey(key);
			ConfigChange.Kind kind = !before ? ConfigChange.Kind.ADDED
					: !after ? ConfigChange.Kind.REMOVED : ConfigChange.Kind.MODIFIED;
			changes.add(new ConfigChange(key, kind, before ? from.maskedValue(key) : null,
					after ? to.maskedValue(key) : null));
		}
		return new ConfigDiff(changes);
	}

	/**
	 * @return whether nothing changed
	 */
	boolean isEmpty() {
		return this.changes.isEmpty();
	}

	/**
	 * @return the changed keys
	 */
	List<String> keys() {
		return this.changes.stream().map(ConfigChange::key).toList();
	}

}
