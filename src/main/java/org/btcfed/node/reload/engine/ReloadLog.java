package org.btcfed.node.reload.engine;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;

/**
 * One log entry per reload: INFO when it succeeded, WARN when it was rejected (the node runs on),
 * ERROR when it was rolled back or failed, with every error on a line of its own.
 */
final class ReloadLog {

	private static final Log logger = LogFactory.getLog(ReloadCoordinator.class);

	private ReloadLog() {
	}

	static void log(ReloadReport report) {
		String summary = "Reload #" + report.id() + " (" + report.trigger() + ") " + report.status() + " in "
				+ report.durationMs() + " ms; version " + report.version() + "; changes "
				+ report.changes().stream().map(ConfigChange::key).toList();
		if (report.status().isSuccessful()) {
			logger.info(summary);
			return;
		}
		StringBuilder details = new StringBuilder(summary);
		report.errors().forEach(e -> details.append(System.lineSeparator()).append("  ").append(e.describe()));
		if (report.status() == ReloadStatus.REJECTED) {
			logger.warn(details + System.lineSeparator() + "  The node keeps running on " + report.version());
		}
		else {
			logger.error(details);
		}
	}

}
