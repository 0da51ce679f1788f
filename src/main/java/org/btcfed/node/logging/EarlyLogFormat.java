package org.btcfed.node.logging;

import java.nio.file.Path;
import java.util.Map;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.NodeConfig.LogFormat;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes Spring Boot's console output use conf.yaml's {@code logging.format} from the very first
 * line: Spring's own start-up lines, the key generation, the signal warning and a start-up
 * failure come in the configured format, before {@link LoggingComponent} takes the outputs over
 * with the same encoders. Runs before Spring Boot initialises logging.
 */
class EarlyLogFormat implements EnvironmentPostProcessor, Ordered {

	static final String SOURCE = "btcfedEarlyLogFormat";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Path configDir = Path.of(environment.getProperty("btcfed.config-dir", "config"));
		LogFormat format = ConfigLoader.peekLogFormat(configDir);
		Map<String, Object> properties = (format == LogFormat.JSON)
				? Map.of("logging.structured.format.console", OutputFactory.JSON_FORMAT)
				: Map.of("logging.pattern.console", OutputFactory.TEXT_PATTERN);
		// Last: an operator's own logging.* setting (command line, environment) still wins.
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE, properties));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
