package org.btcfed.node;

import java.util.stream.Collectors;

import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a configuration failure at start-up into Spring Boot's "APPLICATION FAILED TO START"
 * report: every error with file, line, column and key, and what to do; no stack trace.
 */
class StartupFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
		String description = "The configuration is invalid (" + cause.getErrors().size() + " error(s)):"
				+ System.lineSeparator() + cause.getErrors()
					.stream()
					.map(ConfigError::describe)
					.map(line -> "  " + line)
					.collect(Collectors.joining(System.lineSeparator()));
		return new FailureAnalysis(description,
				"Fix conf.yaml / peers.yaml (the config dir is set with --btcfed.config-dir) and start the node again.",
				cause);
	}

}
