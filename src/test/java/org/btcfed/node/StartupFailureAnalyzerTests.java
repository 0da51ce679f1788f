package org.btcfed.node;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.List;

import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class StartupFailureAnalyzerTests {

	@Test
	void analyzeShouldListEveryErrorWithLocationAndSayWhatToDo() {
		ConfigException cause = new ConfigException(List.of(
				new ConfigError("loging", "conf.yaml", 3, 1, "unknown key 'loging', did you mean 'logging'?"),
				new ConfigError("network.max_connections", "conf.yaml", 7, 20, "must be between 1 and 65535, was 0")));
		FailureAnalysis analysis = new StartupFailureAnalyzer()
			.analyze(new BeanCreationException("startupStaged", "failed", cause));
		assertThat(analysis.getDescription()).contains("2 error(s)")
			.contains("conf.yaml:3:1: loging: unknown key 'loging', did you mean 'logging'?")
			.contains("conf.yaml:7:20: network.max_connections: must be between 1 and 65535, was 0");
		assertThat(analysis.getAction()).contains("--btcfed.config-dir");
	}

	@Test
	void analyzeWhenOtherFailureShouldNotClaimIt() {
		assertThat(new StartupFailureAnalyzer().analyze(new IllegalStateException("boom"))).isNull();
	}

	@Test
	void fileAccessFailureShouldNameTheFileAndWhatToDo() {
		UncheckedIOException cause = new UncheckedIOException(
				"Cannot read or create the admin token file /srv/data/admin.token (or set BTCFED_ADMIN_TOKEN)",
				new AccessDeniedException("/srv/data/admin.token"));
		FailureAnalysis analysis = new FileAccessFailureAnalyzer().analyze(new IllegalStateException("wrapped", cause));
		assertThat(analysis.getDescription()).contains("/srv/data/admin.token", "AccessDeniedException");
		assertThat(analysis.getAction()).contains("--btcfed.data-dir");
	}

}
