package org.btcfed.node;

import java.io.UncheckedIOException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A file the node needs at start-up (the admin token, the pid file, the data dir) cannot be read
 * or written: say which and what to do, without a stack trace.
 */
class FileAccessFailureAnalyzer extends AbstractFailureAnalyzer<UncheckedIOException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UncheckedIOException cause) {
		return new FailureAnalysis(cause.getMessage() + " (" + cause.getCause().getClass().getSimpleName() + ": "
				+ cause.getCause().getMessage() + ")",
				"Make the data dir (--btcfed.data-dir) and config dir (--btcfed.config-dir) readable and writable by"
						+ " the user the node runs as, then start it again.",
				cause);
	}

}
