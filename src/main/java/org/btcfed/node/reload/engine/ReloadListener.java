package org.btcfed.node.reload.engine;

import java.util.List;

import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadTrigger;

/**
 * Hears what the {@link ReloadCoordinator} does, for metrics and the Spring integration. Called
 * on the engine's thread; implementations return quickly and do not throw (an exception is
 * logged and otherwise ignored: a listener cannot undo a commit).
 */
public interface ReloadListener {

	/**
	 * A new snapshot has just become active.
	 * @param previous the snapshot that ran before
	 * @param current the snapshot that runs now
	 * @param changes what changed, sorted by key, secrets masked
	 */
	default void onCommit(ConfigSnapshot previous, ConfigSnapshot current, List<ConfigChange> changes) {
	}

	/**
	 * A reload attempt ended and was recorded.
	 * @param report its report
	 */
	default void onReport(ReloadReport report) {
	}

	/**
	 * A trigger arrived while a reload was already pending and was folded into it.
	 * @param trigger the trigger
	 */
	default void onCoalesced(ReloadTrigger trigger) {
	}

}
