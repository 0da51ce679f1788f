package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ConfigChange;
import org.jspecify.annotations.Nullable;

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
		// Both flat views are sorted: one merge walk, no key set built (a thousand peers are
		// two thousand keys, on every reload).
		Iterator<Map.Entry<String, String>> a = from.properties().entrySet().iterator();
		Iterator<Map.Entry<String, String>> b = to.properties().entrySet().iterator();
		Map.Entry<String, String> left = next(a);
		Map.Entry<String, String> right = next(b);
		List<ConfigChange> changes = new ArrayList<>();
		while (left != null || right != null) {
			int order = (left == null) ? 1 : (right == null) ? -1 : left.getKey().compareTo(right.getKey());
			if (order < 0) {
				changes.add(new ConfigChange(left.getKey(), ConfigChange.Kind.REMOVED, from.maskedValue(left.getKey()),
						null));
				left = next(a);
			}
			else if (order > 0) {
				changes.add(new ConfigChange(right.getKey(), ConfigChange.Kind.ADDED, null, to.maskedValue(right.getKey())));
				right = next(b);
			}
			else {
				if (!left.getValue().equals(right.getValue())) {
					changes.add(new ConfigChange(left.getKey(), ConfigChange.Kind.MODIFIED,
							from.maskedValue(left.getKey()), to.maskedValue(right.getKey())));
				}
				left = next(a);
				right = next(b);
			}
		}
		return new ConfigDiff(changes);
	}

	private static Map.@Nullable Entry<String, String> next(Iterator<Map.Entry<String, String>> entries) {
		return entries.hasNext() ? entries.next() : null;
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
