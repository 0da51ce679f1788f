package org.btcfed.node.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfigError} and {@link ConfigException}.
 */
class ConfigErrorTests {

	@Test
	void describeWhenFullyLocatedShouldReadLikeACompilerError() {
		ConfigError error = new ConfigError("network.addresses[0]", "conf.yaml", 4, 7, "bad address");
		assertThat(error.describe()).isEqualTo("conf.yaml:4:7: network.addresses[0]: bad address");
	}

	@Test
	void describeWhenPartlyLocatedShouldLeaveOutWhatIsMissing() {
		assertThat(new ConfigError(null, "conf.yaml", null, null, "empty").describe()).isEqualTo("conf.yaml: empty");
		assertThat(new ConfigError("logging", "conf.yaml", 3, null, "bad").describe())
			.isEqualTo("conf.yaml:3: logging: bad");
		assertThat(new ConfigError("logging.level", null, null, null, "bad").describe())
			.isEqualTo("logging.level: bad");
	}

	@Test
	void atWhenNoLocationShouldUseFallbackFile() {
		assertThat(ConfigError.at(null, "logging.level", "conf.yaml", "bad"))
			.isEqualTo(new ConfigError("logging.level", "conf.yaml", null, null, "bad"));
		assertThat(ConfigError.at(new SourceLocation("peers.yaml", 2, 5), "peers[0]", "conf.yaml", "bad"))
			.isEqualTo(new ConfigError("peers[0]", "peers.yaml", 2, 5, "bad"));
	}

	@Test
	void exceptionShouldListEveryErrorAndNotBeTransientByDefault() {
		List<ConfigError> errors = List.of(new ConfigError("a.b", "conf.yaml", 1, 1, "first"),
				new ConfigError(null, "peers.yaml", null, null, "second"));
		ConfigException ex = new ConfigException(errors);
		assertThat(ex.getErrors()).isEqualTo(errors);
		assertThat(ex.isTransient()).isFalse();
		assertThat(ex).hasMessage("2 configuration error(s):" + System.lineSeparator() + "  conf.yaml:1:1: a.b: first"
				+ System.lineSeparator() + "  peers.yaml: second");
	}

	@Test
	void sourceLocationToStringShouldJoinFileLineAndColumn() {
		assertThat(new SourceLocation("conf.yaml", 3, 9)).hasToString("conf.yaml:3:9");
	}

}
