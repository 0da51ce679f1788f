package org.btcfed.node.reload;

import java.util.List;

import org.btcfed.node.config.ConfigSnapshot;

/**
 * What one component is asked to do: move from {@code previous} to {@code target}, of which
 * {@code changes} are the keys it owns.
 *
 * @param previous the snapshot the component runs now
 * @param target the snapshot to move to
 * @param changes the changed keys owned by the component (secrets masked)
 */
public record ComponentUpdate(ConfigSnapshot previous, ConfigSnapshot target, List<ConfigChange> changes) {

	public ComponentUpdate {
		changes = List.copyOf(changes);
	}

	/**
	 * @return the update that undoes this one
	 */
	public ComponentUpdate reversed() {
		return new ComponentUpdate(this.target, this.previous, this.changes);
	}

}
