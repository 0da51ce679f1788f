package org.btcfed.node;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A second node started on a data dir that a running node holds: say which process holds it, and
 * what to do, without a stack trace.
 */
class DataDirInUseFailureAnalyzer extends AbstractFailureAnalyzer<DataDir.DataDirInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DataDir.DataDirInUseException cause) {
		return new FailureAnalysis(cause.getMessage() + "; its pid, port and history files stay as they are.",
				"Use the running node (reload it: kill -HUP \"$(cat " + cause.dir().resolve(DataDir.PID_FILE)
						+ ")\"), stop it first, or start this node with its own --btcfed.data-dir.",
				cause);
	}

}
