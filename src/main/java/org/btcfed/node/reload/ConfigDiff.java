package org.btcfed.node.reload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.btcfed.node.config.ConfigSnapshot;

/**
 * The difference between two snapshots, computed from their flat views only, never from live
 * state. List elements compare by index, peers by public key (their keys are
 * {@code peers[<public key>]...}), so reordering peers.yaml is no change.
 *
 * @param changes the changed keys, sorted by key
 */
public record ConfigDiff(List<ConfigChange> changes) {

	public ConfigDiff {
		changes = List.copyOf(changes);
	}

	/**
	 * Computes the diff from one snapshot to another.
	 * @param from the running snapshot
	 * @param to the staged snapshot
	 * @return the changes, secrets masked
	 */
	public static ConfigDiff between(ConfigSnapshot from, ConfigSnapshot to) {
		Map<String, String> a = from.properties();
		Map<String, String> b = to.properties();
		TreeSet<String> keys = new TreeSet<>(a.keySet());
		keys.addAll(b.keySet());
		List<ConfigChange> changes = new ArrayList<>();
		for (String key : keys) {
			String old = a.get(key);
			String now = b.get(key);
			if (Objects.equals(old, now)) {
				continue;
			}
			ConfigChange.Kind kind = (old == null) ? ConfigChange.Kind.ADDED
					: (now == null) ? ConfigChange.Kind.REMOVED : ConfigChange.Kind.MODIFIED;
			changes.add(new ConfigChange(key, kind, from.maskedValue(key), to.maskedValue(key)));
		}
		return new ConfigDiff(changes);
	}

	/**
	 * @return whether nothing changed
	 */
	public boolean isEmpty() {
		return this.changes.isEmpty();
	}

	/**
	 * @return the changed keys
	 */
	public List<String> keys() {
		return this.changes.stream().map(ConfigChange::key).toList();
	}

}
